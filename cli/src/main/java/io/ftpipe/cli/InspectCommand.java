package io.ftpipe.cli;

import io.ftpipe.broker.central.ReferenceProfile;
import io.ftpipe.broker.plan.DeviceCapacity;
import io.ftpipe.broker.plan.Link;
import io.ftpipe.broker.plan.Plan;
import io.ftpipe.broker.plan.Planner;
import io.ftpipe.broker.plan.Stage;
import io.ftpipe.broker.plan.UnitCost;
import io.ftpipe.cli.options.BatchSizeOption;
import io.ftpipe.cli.options.ThreadsOption;
import io.ftpipe.zoo.model.LoadedModel;
import io.ftpipe.zoo.model.Model;
import io.ftpipe.zoo.model.UnitInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;

/**
 * {@code ftpipe inspect MODEL}: how a model (an ONNX file to import, or a zoo model) would be
 * trained: its partition units, or why it cannot be, and the plan a job starts with on equal
 * devices, costed by the reference profile measured here as the central node measures it.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show a model's partition units (or why it cannot be trained) and the plan a job would "
                + "start with on N equal devices.")
public final class InspectCommand implements Callable<Integer> {
    /** What a link is taken to carry before any has been timed (as the central node's default). */
    private static final double LINK_BYTES_PER_MILLI = 10_000;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "MODEL", description = "an .onnx file exported by PyTorch, or a zoo model's name")
    String model;

    @Option(names = "--devices", defaultValue = "3", description = "equal devices to plan for (default: "
            + "${DEFAULT-VALUE})")
    int devices;

    @Mixin
    private BatchSizeOption batchSize = new BatchSizeOption(64);

    @Mixin
    private ThreadsOption threads = new ThreadsOption(1);

    @Override
    public Integer call() throws Exception {
        if (devices < 1 || batchSize.value() < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--devices and --batch-size must be >= 1");
        }
        Model m = Preflight.model(spec.commandLine(), model, false).model();
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%s: input %s, %d classes, %d partition units%n", m.name(), Arrays.toString(m.inputShape()),
                m.classes(), m.size());
        out.printf("%-4s %-22s %12s %14s %16s  %s%n", "unit", "name", "parameters", "MFLOPs/sample", "output",
                "ops");
        for (UnitInfo u : m.info()) {
            out.printf("%-4d %-22s %12d %14.2f %16s  %s%n", u.index(), u.name(), u.paramCount(), u.flops() / 1e6,
                    Arrays.toString(u.outputShape()) + " " + u.outputBytes() + " B", u.description());
        }
        List<UnitCost> costs = ReferenceProfile.measure(m, batchSize.value(), threads.value());
        int k = Math.min(devices, m.size());
        Plan plan = Planner.speedBlind(costs, IntStream.range(0, k)
                .mapToObj(d -> new DeviceCapacity("device-" + d, 1, Long.MAX_VALUE)).toList(),
                Link.uniform(LINK_BYTES_PER_MILLI, 1));
        out.printf("a job on %d equal device(s) starts with (micro-batch %d, %d thread(s) per device, links of "
                + "10 MB/s until timed):%n", devices, batchSize.value(), threads.value());
        for (Stage s : plan.stages()) {
            out.printf("  %s: units [%d, %d)  compute %.1f ms  send %.1f ms per micro-batch%n", s.device(), s.from(),
                    s.to(), s.computeMillis(), s.sendMillis());
        }
        out.printf("  predicted %.0f samples/s%n", batchSize.value() * 1000.0 / plan.predictedMillisPerMicroBatch());
        out.flush();
        return 0;
    }
}
