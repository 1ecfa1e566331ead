package io.ftpipe.broker.security;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A management client's DTLS pre-shared key: the second secret of an account, beside its password
 * hash. A PSK server needs the key itself (both ends derive the session keys from it), so unlike a
 * password it cannot be stored hashed: it is kept as written, and the accounts file must be
 * readable by the broker alone (config/README.md).
 *
 * <p>The key is the UTF-8 bytes of printable ASCII text, so that the same string works as
 * libcoap's {@code -k KEY} and in any other client; at least {@value #MIN_LENGTH} characters,
 * because a short key falls to an offline guess from one recorded handshake.
 */
public final class PreSharedKey {
    public static final int MIN_LENGTH = 16;
    /** OpenSSL's limit for a PSK, so every libcoap build accepts it. */
    public static final int MAX_LENGTH = 64;

    private final byte[] key;

    private PreSharedKey(byte[] key) {
        this.key = key;
    }

    /** @throws IllegalArgumentException saying what is wrong, never echoing the key */
    public static PreSharedKey parse(String text) {
        if (text.length() < MIN_LENGTH || text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("must be " + MIN_LENGTH + "-" + MAX_LENGTH + " characters, got "
                    + text.length() + " (make one with `openssl rand -hex 16`)");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw new IllegalArgumentException("must be printable ASCII without spaces (character " + (i + 1)
                        + " is not)");
            }
        }
        return new PreSharedKey(text.getBytes(StandardCharsets.US_ASCII));
    }

    /** A copy: the DTLS key store keeps its own. */
    public byte[] bytes() {
        return key.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PreSharedKey other && java.security.MessageDigest.isEqual(key, other.key);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key);
    }

    @Override
    public String toString() {
        return "PreSharedKey[hidden]";
    }
}
