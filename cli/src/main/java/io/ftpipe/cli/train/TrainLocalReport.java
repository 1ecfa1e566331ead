package io.ftpipe.cli.train;

import io.ftpipe.cli.report.Machine;
import io.ftpipe.zoo.data.DataFiles;
import io.ftpipe.zoo.model.Model;
import io.ftpipe.zoo.optim.OptimizerConfig;
import io.ftpipe.zoo.train.EpochResult;
import io.ftpipe.zoo.train.TrainResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code train-local} writes, serialised by {@link io.ftpipe.cli.report.JsonReports} with
 * snake_case names. {@code train_loss} is the last epoch's; {@code seconds} is the wall time of
 * training and evaluation, without loading data.
 */
public record TrainLocalReport(String model, int epochs, int batchSize, List<Stage> stages,
                               Map<String, Object> optimizer, long seed, int threads, Map<String, Object> data,
                               double testAccuracy, double testLoss, double trainLoss, double trainAccuracy,
                               double samplesPerSecond, double seconds, String modelPath, List<EpochResult> perEpoch,
                               Map<String, Object> machine) {

    /** One stage: units [from, to) of the model. */
    public record Stage(int stage, int[] units, List<String> unitNames) {
    }

    public static TrainLocalReport of(Model model, TrainResult result, DataFiles.Loaded data, String modelPath) {
        var c = result.config();
        EpochResult last = result.last();
        return new TrainLocalReport(result.model(), c.epochs(), c.batchSize(), stages(model, result.bounds()),
                optimizer(c.optimizer()), c.seed(), c.threads(), data(data), last.testAccuracy(), last.testLoss(),
                last.trainLoss(), last.trainAccuracy(), result.samplesPerSecond(), result.seconds(), modelPath,
                result.epochs(), Machine.describe());
    }

    private static List<Stage> stages(Model model, int[] bounds) {
        List<Stage> out = new ArrayList<>();
        for (int s = 0; s + 1 < bounds.length; s++) {
            List<String> names = new ArrayList<>();
            for (int u = bounds[s]; u < bounds[s + 1]; u++) {
                names.add(model.units().get(u).name());
            }
            out.add(new Stage(s, new int[]{bounds[s], bounds[s + 1]}, names));
        }
        return out;
    }

    /** Only the settings that the optimizer kind uses, so the report does not show a meaningless momentum. */
    private static Map<String, Object> optimizer(OptimizerConfig o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", o.kind());
        m.put("lr", o.lr());
        if (o.kind().equals("sgd")) {
            m.put("momentum", o.momentum());
        } else {
            m.put("beta1", o.beta1());
            m.put("beta2", o.beta2());
            m.put("eps", o.eps());
        }
        m.put("weight_decay", o.weightDecay());
        return m;
    }

    private static Map<String, Object> data(DataFiles.Loaded d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", d.source());
        m.put("normalization", d.normalization().describe());
        m.put("train_samples", d.train().size());
        m.put("test_samples", d.test().size());
        return m;
    }
}
