package io.ftpipe.broker.security;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.util.Arrays;

/**
 * Reads the password to hash: typed twice without echo at a terminal, or the first line of
 * standard input when it is piped ({@code echo "$PW" | ftpipe hash-password}). Never from the
 * command line, where {@code ps} and shell histories would show it.
 */
public final class PasswordInput {
    private PasswordInput() {
    }

    /**
     * @param console the terminal, or null when standard input is not one
     * @throws IllegalArgumentException if the password is empty or the two entries differ
     */
    public static char[] read(Console console, BufferedReader stdin) throws IOException {
        if (console != null) {
            char[] first = console.readPassword("password: ");
            char[] second = console.readPassword("again: ");
            if (first == null || second == null) {
                throw new IllegalArgumentException("no password given");
            }
            try {
                if (!Arrays.equals(first, second)) {
                    throw new IllegalArgumentException("the two passwords differ");
                }
            } finally {
                Arrays.fill(second, '\0');
            }
            return nonEmpty(first);
        }
        String line = stdin.readLine();
        if (line == null) {
            throw new IllegalArgumentException("no password on standard input");
        }
        return nonEmpty(line.toCharArray());
    }

    private static char[] nonEmpty(char[] password) {
        if (password.length == 0) {
            throw new IllegalArgumentException("the password is empty");
        }
        return password;
    }
}
