package io.ftpipe.centralclient.mosquitto;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MosquittoPasswordHashTest {

    @Test
    void readsWhatMosquittoPasswdWrites(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("pw");
        Process p = new ProcessBuilder("mosquitto_passwd", "-b", "-c", file.toString(), "alice", "wonder land")
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "mosquitto_passwd (Debian package "
                + "mosquitto) failed: " + new String(p.getInputStream().readAllBytes()));
        String stored = Files.readString(file).trim().substring("alice:".length());
        assertTrue(stored.startsWith("$7$101$"), stored);
        assertTrue(MosquittoPasswordHash.matches("wonder land".toCharArray(), stored));
        assertFalse(MosquittoPasswordHash.matches("wonderland".toCharArray(), stored));
    }

    @Test
    void writesMosquittosLayoutWithAFreshSalt() {
        String a = MosquittoPasswordHash.create("pw".toCharArray(), 101, new SecureRandom());
        String b = MosquittoPasswordHash.create("pw".toCharArray(), 101, new SecureRandom());
        String[] parts = a.split("\\$");
        assertEquals(5, parts.length);
        assertEquals("7", parts[1]);
        assertEquals("101", parts[2]);
        assertEquals(16, parts[3].length(), "12 bytes of salt in base64");
        assertEquals(88, parts[4].length(), "64 bytes of hash in base64");
        assertTrue(!a.equals(b) && MosquittoPasswordHash.matches("pw".toCharArray(), b));
        assertThrows(IllegalArgumentException.class, () -> MosquittoPasswordHash.matches("pw".toCharArray(),
                "pbkdf2-sha256$1000$abc$def"));
    }
}
