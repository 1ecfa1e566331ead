package io.ftpipe.cli;

import io.ftpipe.zoo.data.FashionMnist;
import io.ftpipe.zoo.model.ModelZoo;
import picocli.CommandLine;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;

/**
 * What a command checks before it starts a broker or a device process: a mistake is then one line
 * and a non-zero exit, not a half-started cluster and a stack trace.
 */
public final class Preflight {
    private Preflight() {
    }

    /** An unknown model name is a usage error (exit 2). */
    public static void model(CommandLine cmd, String model) {
        if (!ModelZoo.NAMES.contains(model)) {
            throw new CommandLine.ParameterException(cmd, "unknown model '" + model + "'; known models: "
                    + String.join(", ", ModelZoo.NAMES));
        }
    }

    /** The Fashion-MNIST files, unless the job trains on generated data. */
    public static void data(int synthetic, Path datasetDir) {
        if (synthetic == 0) {
            FashionMnist.requirePresent(datasetDir);
        }
    }

    /** A port another process holds: say so now rather than after HiveMQ failed to bind it. */
    public static void portFree(String bind, int port) throws PortInUseException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(bind), port));
        } catch (IOException e) {
            throw new PortInUseException("cannot listen on " + bind + ":" + port + " (" + e.getMessage()
                    + "); is another broker running? Pick another port with --port");
        }
    }

    /** A port that cannot be bound: the user's to fix. */
    public static final class PortInUseException extends Exception {
        PortInUseException(String message) {
            super(message);
        }
    }
}
