package io.ftpipe.cli;

import io.ftpipe.broker.security.PasswordHash;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ftpipe hash-password} with the password on standard input (no terminal under surefire). */
class HashPasswordCommandTest {

    private static Ftpipe withStdin(String input, String... args) {
        InputStream saved = System.in;
        System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        try {
            return Ftpipe.run(args);
        } finally {
            System.setIn(saved);
        }
    }

    @Test
    void printsAHashOfTheFirstLineThatTheExtensionAccepts() {
        Ftpipe r = withStdin("s3cret pass\nignored\n", "hash-password", "--iterations", "1000");

        assertEquals(0, r.exitCode(), r.transcript());
        PasswordHash hash = PasswordHash.parse(r.out().strip());
        assertEquals(1000, hash.iterations());
        assertTrue(hash.matches("s3cret pass".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void refusesAnEmptyPasswordAndTooFewIterations() {
        Ftpipe empty = withStdin("\n", "hash-password");
        assertEquals(2, empty.exitCode(), empty.transcript());
        assertTrue(empty.err().contains("the password is empty"), empty.transcript());

        Ftpipe few = withStdin("pw\n", "hash-password", "--iterations", "10");
        assertEquals(2, few.exitCode(), few.transcript());
        assertTrue(few.err().contains("--iterations: the iteration count must be between 1000"), few.transcript());
    }
}
