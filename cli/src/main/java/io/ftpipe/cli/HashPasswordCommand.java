package io.ftpipe.cli;

import io.ftpipe.broker.security.PasswordHash;
import io.ftpipe.broker.security.PasswordInput;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.Callable;

/**
 * {@code ftpipe hash-password}: the {@code passwordHash} of a device's or client's password, for
 * the {@code security} section of {@code ftpipe-extension.json} (config/README.md). The password
 * comes from the terminal (asked twice, not echoed) or the first line of standard input, never
 * from an argument.
 */
@Command(name = "hash-password", mixinStandardHelpOptions = true,
        description = {"Print the passwordHash of a password for the security section of ftpipe-extension.json.",
                "The password is read from the terminal, or from the first line of standard input."})
public final class HashPasswordCommand implements Callable<Integer> {
    @Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--iterations", defaultValue = "" + PasswordHash.DEFAULT_ITERATIONS,
            description = "PBKDF2 iterations (default: ${DEFAULT-VALUE}; at least " + PasswordHash.MIN_ITERATIONS + ")")
    int iterations;

    @Override
    public Integer call() throws Exception {
        char[] password;
        try {
            password = PasswordInput.read(System.console(),
                    new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        try {
            spec.commandLine().getOut().println(PasswordHash.create(password, iterations, new SecureRandom()));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--iterations: " + e.getMessage());
        } finally {
            Arrays.fill(password, '\0');
        }
        return 0;
    }
}
