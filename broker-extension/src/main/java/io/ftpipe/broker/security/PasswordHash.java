package io.ftpipe.broker.security;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * A password as the configuration stores it: PBKDF2 with HMAC-SHA256, a random salt and an
 * iteration count, written {@code pbkdf2-sha256$<iterations>$<salt, base64>$<hash, base64>}
 * (the layout of Django's and passlib's PBKDF2 hashes, so other tools can make one too).
 *
 * <p>PBKDF2 rather than a plain salted SHA-256 because a leaked configuration then costs an
 * attacker {@code iterations} hashes per guess. It is in every JDK, so the extension needs no
 * library for it. Comparison is constant-time ({@link MessageDigest#isEqual}).
 */
public final class PasswordHash {
    public static final String SCHEME = "pbkdf2-sha256";
    /**
     * The iteration count {@code hash-password} uses: about 0.1–0.2 s per check on this project's
     * 2-core machine, paid once per connect (and per CoAP write), never per message.
     */
    public static final int DEFAULT_ITERATIONS = 210_000;
    /** Fewer iterations are refused: they would make a leaked hash cheap to attack. */
    public static final int MIN_ITERATIONS = 1_000;
    static final int MAX_ITERATIONS = 100_000_000;
    static final int SALT_BYTES = 16;
    static final int HASH_BYTES = 32;
    private static final String ALGORITHM = "PBKDF2WithHmacSHA256";

    private final int iterations;
    private final byte[] salt;
    private final byte[] hash;

    private PasswordHash(int iterations, byte[] salt, byte[] hash) {
        this.iterations = iterations;
        this.salt = salt;
        this.hash = hash;
    }

    /** Hashes {@code password} with a fresh random salt. */
    public static PasswordHash create(char[] password, int iterations, SecureRandom random) {
        if (password.length == 0) {
            throw new IllegalArgumentException("an empty password cannot be hashed");
        }
        checkIterations(iterations);
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return new PasswordHash(iterations, salt, derive(password, salt, iterations, HASH_BYTES));
    }

    /**
     * Reads the stored form.
     *
     * @throws IllegalArgumentException saying what is wrong with it (never echoing the hash)
     */
    public static PasswordHash parse(String stored) {
        String[] parts = stored.split("\\$", -1);
        if (parts.length != 4 || !parts[0].equals(SCHEME)) {
            throw new IllegalArgumentException("must look like " + SCHEME
                    + "$<iterations>$<salt>$<hash> (make one with `ftpipe hash-password`)");
        }
        int iterations;
        try {
            iterations = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the iteration count '" + parts[1] + "' is not a number");
        }
        checkIterations(iterations);
        byte[] salt;
        byte[] hash;
        try {
            salt = Base64.getDecoder().decode(parts[2]);
            hash = Base64.getDecoder().decode(parts[3]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the salt or the hash is not base64: " + e.getMessage());
        }
        if (salt.length < 8 || hash.length < 16) {
            throw new IllegalArgumentException("the salt (" + salt.length + " bytes) or the hash (" + hash.length
                    + " bytes) is too short: at least 8 and 16 bytes");
        }
        return new PasswordHash(iterations, salt, hash);
    }

    /**
     * True if {@code password} (the MQTT password field, or a CoAP secret, as UTF-8 bytes) is the
     * one hashed. Bytes that are not UTF-8, and an empty password, never match.
     */
    public boolean matches(byte[] password) {
        if (password.length == 0) {
            return false;
        }
        char[] chars;
        try {
            CharBuffer decoded = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(password));
            chars = new char[decoded.remaining()];
            decoded.get(chars);
        } catch (CharacterCodingException e) {
            return false;
        }
        try {
            byte[] candidate = derive(chars, salt, iterations, hash.length);
            // Constant-time: how long the comparison takes says nothing about how much matched.
            return MessageDigest.isEqual(candidate, hash);
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    public int iterations() {
        return iterations;
    }

    /** The stored form. */
    @Override
    public String toString() {
        return SCHEME + "$" + iterations + "$" + Base64.getEncoder().encodeToString(salt) + "$"
                + Base64.getEncoder().encodeToString(hash);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PasswordHash p && p.iterations == iterations && Arrays.equals(p.salt, salt)
                && Arrays.equals(p.hash, hash);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(salt) + Arrays.hashCode(hash);
    }

    private static void checkIterations(int iterations) {
        if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("the iteration count must be between " + MIN_ITERATIONS + " and "
                    + MAX_ITERATIONS + ", got " + iterations);
        }
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations, int bytes) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, bytes * 8);
        try {
            return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            // Every Java 8+ runtime has PBKDF2WithHmacSHA256; without it nothing can be checked.
            throw new IllegalStateException(ALGORITHM + " is not available in this JVM", e);
        } finally {
            spec.clearPassword();
        }
    }
}
