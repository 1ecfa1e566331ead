package io.ftpipe.cli;

import io.ftpipe.broker.central.JobSpec;
import io.ftpipe.zoo.data.DataException;
import io.ftpipe.zoo.data.Dataset;
import io.ftpipe.zoo.data.FashionMnist;
import io.ftpipe.zoo.data.TrainingSets;
import io.ftpipe.zoo.importer.ImportOptions;
import io.ftpipe.zoo.model.LoadedModel;
import io.ftpipe.zoo.model.Model;
import io.ftpipe.zoo.model.ModelZoo;
import picocli.CommandLine;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * What a command checks before it starts a broker or a device process: a mistake is then one line
 * and a non-zero exit, not a half-started cluster and a stack trace.
 */
public final class Preflight {
    private Preflight() {
    }

    /**
     * The model as the job will load it: a name that is neither a zoo model nor an ONNX file is a
     * usage error (exit 2); a file that cannot be imported fails with the importer's reason (exit 1).
     */
    public static LoadedModel model(CommandLine cmd, String nameOrFile, boolean reinitialize) {
        if (!ModelZoo.NAMES.contains(nameOrFile) && !(LoadedModel.isOnnxFile(nameOrFile)
                && Files.isRegularFile(Path.of(nameOrFile)))) {
            throw new CommandLine.ParameterException(cmd, "unknown model '" + nameOrFile + "'; known models: "
                    + String.join(", ", ModelZoo.NAMES) + ", or an .onnx file"
                    + (LoadedModel.isOnnxFile(nameOrFile) ? " (" + nameOrFile + ": no such file)" : ""));
        }
        return LoadedModel.load(nameOrFile, new ImportOptions(reinitialize));
    }

    /**
     * The data the job reads, fitted to its model: the user's data set is read whole (every problem
     * with it shows now), Fashion-MNIST only looked for.
     */
    public static void data(LoadedModel loaded, JobSpec.Sources sources, int synthetic, long seed, Path datasetDir) {
        Model m = loaded.model();
        if (sources.data() != null || synthetic > 0) {
            TrainingSets.load(sources.data(), synthetic, 0, sources.normalization(), m.inputShape(), m.classes(),
                    seed, datasetDir);
            return;
        }
        FashionMnist.requirePresent(datasetDir);
        if (!Arrays.equals(m.inputShape(), new long[]{1, 28, 28}) || m.classes() != Dataset.CLASSES) {
            throw new DataException("the model takes " + Arrays.toString(m.inputShape()) + " in " + m.classes()
                    + " classes, Fashion-MNIST is [1, 28, 28] in 10: give it its own data with --data");
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
