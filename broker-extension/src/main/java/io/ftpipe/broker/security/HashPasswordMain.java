package io.ftpipe.broker.security;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Prints the {@code passwordHash} of a password for the {@code security} section of
 * {@code ftpipe-extension.json}, for installations that have the drop-in but not the
 * {@code ftpipe} command:
 *
 * <pre>java -cp ftpipe-extension/ftpipe-extension-&lt;version&gt;.jar io.ftpipe.broker.security.HashPasswordMain [--iterations N]</pre>
 *
 * ({@code ftpipe hash-password} does the same.) The password is read from the terminal, or from
 * the first line of standard input.
 */
public final class HashPasswordMain {
    private HashPasswordMain() {
    }

    public static void main(String[] args) throws Exception {
        int iterations = PasswordHash.DEFAULT_ITERATIONS;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--iterations") && i + 1 < args.length) {
                iterations = Integer.parseInt(args[++i]);
            } else {
                System.err.println("usage: HashPasswordMain [--iterations N]   (the password is read from the "
                        + "terminal or standard input)");
                System.exit(2);
            }
        }
        char[] password;
        try {
            password = PasswordInput.read(System.console(),
                    new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException e) {
            System.err.println("hash-password: " + e.getMessage());
            System.exit(1);
            return;
        }
        try {
            System.out.println(PasswordHash.create(password, iterations, new SecureRandom()));
        } finally {
            Arrays.fill(password, '\0');
        }
    }
}
