package io.ftpipe.broker.security;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PasswordHashTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theHashedPasswordMatchesAndOthersDoNot() {
        PasswordHash h = PasswordHash.create("s3cret-ü".toCharArray(), 1_000, RANDOM);

        assertTrue(h.matches(utf8("s3cret-ü")));
        assertFalse(h.matches(utf8("s3cret-u")));
        assertFalse(h.matches(utf8("s3cret-ü ")));
        assertFalse(h.matches(new byte[0]));
        assertFalse(h.matches(new byte[]{(byte) 0xff, (byte) 0xfe}), "bytes that are not UTF-8 never match");
    }

    @Test
    void theStoredFormRoundTripsAndNamesSchemeAndIterations() {
        PasswordHash h = PasswordHash.create("pw".toCharArray(), 1_234, RANDOM);
        String stored = h.toString();

        assertTrue(stored.startsWith("pbkdf2-sha256$1234$"), stored);
        PasswordHash back = PasswordHash.parse(stored);
        assertEquals(h, back);
        assertTrue(back.matches(utf8("pw")));
    }

    @Test
    void everyHashHasItsOwnSalt() {
        assertNotEquals(PasswordHash.create("pw".toCharArray(), 1_000, RANDOM).toString(),
                PasswordHash.create("pw".toCharArray(), 1_000, RANDOM).toString());
    }

    @Test
    void malformedStoredFormsAreRefusedWithAReason() {
        String good = PasswordHash.create("pw".toCharArray(), 1_000, RANDOM).toString();
        String[] parts = good.split("\\$");

        assertTrue(message("sha256$abc").contains("must look like pbkdf2-sha256$<iterations>$<salt>$<hash>"));
        assertTrue(message("pbkdf2-sha256$lots$" + parts[2] + "$" + parts[3]).contains("'lots' is not a number"));
        assertTrue(message("pbkdf2-sha256$10$" + parts[2] + "$" + parts[3]).contains("between 1000 and"));
        assertTrue(message("pbkdf2-sha256$1000$%%%$" + parts[3]).contains("not base64"));
        assertTrue(message("pbkdf2-sha256$1000$" + parts[2] + "$AAAA").contains("too short"));
        assertThrows(IllegalArgumentException.class, () -> PasswordHash.create(new char[0], 1_000, RANDOM));
    }

    private static String message(String stored) {
        return assertThrows(IllegalArgumentException.class, () -> PasswordHash.parse(stored)).getMessage();
    }
}
