package io.ftpipe.centralclient.mosquitto;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * A password as Mosquitto 2.0's password file keeps it, the format {@code mosquitto_passwd} writes:
 * {@code $7$<iterations>$<salt, base64>$<hash, base64>}, the hash being PBKDF2-HMAC-SHA512 of the
 * UTF-8 password over a 12-byte salt, 64 bytes long. {@code MosquittoPasswordHashTest} checks it
 * against {@code mosquitto_passwd}, and the security test against a running mosquitto.
 */
public final class MosquittoPasswordHash {
    /** {@code mosquitto_passwd}'s default. */
    public static final int DEFAULT_ITERATIONS = 101;
    static final int SALT_BYTES = 12;
    static final int HASH_BYTES = 64;
    private static final String PREFIX = "$7$";

    private MosquittoPasswordHash() {
    }

    /** A new hash of {@code password} with a fresh salt. */
    public static String create(char[] password, int iterations, SecureRandom random) {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be at least 1, got " + iterations);
        }
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        Base64.Encoder b64 = Base64.getEncoder();
        return PREFIX + iterations + "$" + b64.encodeToString(salt) + "$"
                + b64.encodeToString(pbkdf2(password, salt, iterations));
    }

    /** Whether {@code password} is the one {@code stored} (a {@code $7$} hash) was made from. */
    public static boolean matches(char[] password, String stored) {
        Parts p = parts(stored);
        byte[] salt = Base64.getDecoder().decode(p.salt());
        byte[] expected = Base64.getDecoder().decode(p.hash());
        return MessageDigest.isEqual(expected, pbkdf2(password, salt, p.iterations()));
    }

    /**
     * The pieces of a {@code $7$} hash, salt and hash in base64: the dynamic-security plugin keeps
     * the same PBKDF2-SHA512 hash as separate {@code iterations}, {@code salt} and {@code password}.
     */
    public record Parts(int iterations, String salt, String hash) {
    }

    /** @throws IllegalArgumentException if {@code stored} is not a {@code $7$} hash */
    public static Parts parts(String stored) {
        String[] parts = stored.split("\\$");
        if (parts.length != 5 || !parts[0].isEmpty() || !"7".equals(parts[1])) {
            throw new IllegalArgumentException("not a mosquitto $7$ password hash");
        }
        return new Parts(Integer.parseInt(parts[2]), parts[3], parts[4]);
    }

    private static byte[] pbkdf2(char[] password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, HASH_BYTES * 8);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA512 is part of every Java 17", e);
        } finally {
            spec.clearPassword();
            Arrays.fill(salt, (byte) 0);
        }
    }
}
