package io.ftpipe.broker.central;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ftpipe.broker.plan.UnitCost;
import io.ftpipe.zoo.model.Model;
import io.ftpipe.zoo.model.UnitInfo;
import io.ftpipe.zoo.runtime.UnitProfiler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * What each unit of a model costs the planner: forward + backward time per micro-batch measured
 * on the central node (the reference device, slowdown 1), boundary bytes and memory. Measuring
 * takes seconds, so the times are kept in {@code dataDir/profiles} and measured once per model,
 * micro-batch size and thread count.
 */
public final class ReferenceProfile {
    private static final Logger LOG = LoggerFactory.getLogger(ReferenceProfile.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int WARMUP = 3;
    private static final int ITERATIONS = 9;
    /** Weights, their gradients and Adam's two moments. */
    private static final int PARAM_COPIES = 4;
    /** Activations stashed for backward, the incoming tensor and the one being sent. */
    private static final int ACTIVATION_COPIES = 3;

    private ReferenceProfile() {
    }

    static List<UnitCost> costs(Model model, int microBatch, int threads, Path dataDir) throws IOException,
            OrtException {
        return costs(model, microBatch, millis(model, microBatch, threads, dataDir));
    }

    /** The profile measured now, kept nowhere (what {@code ftpipe inspect} shows). */
    public static List<UnitCost> measure(Model model, int microBatch, int threads) throws OrtException {
        return costs(model, microBatch, UnitProfiler.forwardBackwardMillis(OrtEnvironment.getEnvironment(), model,
                microBatch, threads, WARMUP, ITERATIONS));
    }

    private static List<UnitCost> costs(Model model, int microBatch, double[] millis) {
        List<UnitCost> out = new ArrayList<>();
        for (UnitInfo u : model.info()) {
            long boundary = u.outputBytes() * microBatch;
            out.add(new UnitCost(millis[u.index()], boundary, PARAM_COPIES * u.paramBytes() + ACTIVATION_COPIES * boundary));
        }
        return out;
    }

    private static double[] millis(Model model, int microBatch, int threads, Path dataDir) throws IOException,
            OrtException {
        Path file = dataDir.resolve("profiles").resolve(model.name() + "-mb" + microBatch + "-t" + threads + ".json");
        if (Files.isRegularFile(file)) {
            try {
                double[] cached = JSON.readValue(file.toFile(), Cached.class).forwardBackwardMillis();
                if (cached.length == model.size()) {
                    return cached;
                }
            } catch (IOException e) {
                LOG.warn("ignoring unreadable profile " + file + ": " + e.getMessage());
            }
        }
        LOG.info("profiling " + model.name() + " at micro-batch " + microBatch + " (once; kept in " + file + ")");
        double[] measured = UnitProfiler.forwardBackwardMillis(OrtEnvironment.getEnvironment(), model, microBatch,
                threads, WARMUP, ITERATIONS);
        Files.createDirectories(file.getParent());
        Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
        JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(),
                new Cached(model.name(), microBatch, threads, measured));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return measured;
    }

    /** The cache file's shape. */
    record Cached(String model, int microBatch, int threads, double[] forwardBackwardMillis) {
    }
}
