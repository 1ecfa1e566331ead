package io.ftpipe.cli;

import io.ftpipe.broker.central.JobListener;
import io.ftpipe.broker.configuration.ExtensionConfig;
import io.ftpipe.cli.demo.BrokerFacts;
import io.ftpipe.cli.demo.DemoBroker;
import io.ftpipe.cli.demo.JobDriver;
import io.ftpipe.cli.demo.JobOptions;
import io.ftpipe.device.DeviceProcess;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code ftpipe demo}: a broker with the central node (HiveMQ CE embedded with the extension, or
 * mosquitto with {@code ftpipe central} as its client), N device JVMs, one real job.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Train across device processes through a broker (embedded HiveMQ with the ftpipe extension, "
                + "or mosquitto with the central node as its client).")
public final class DemoCommand implements Callable<Integer> {
    @Spec
    private picocli.CommandLine.Model.CommandSpec spec;
    @Mixin
    JobOptions job;
    @Option(names = "--device-threads", defaultValue = "1", description = "ONNX Runtime threads per device")
    int deviceThreads;
    @Option(names = "--slowdowns", split = ",", paramLabel = "K",
            description = "emulated slowdown of each device, e.g. 1,1,5 (default: all 1)")
    List<Double> slowdowns = List.of();
    @Option(names = "--broker", defaultValue = BrokerFacts.HIVEMQ, description = "hivemq: HiveMQ CE embedded, the "
            + "extension as the central node; mosquitto: Debian's mosquitto, the central node as its client; "
            + "mosquitto-bridged: the devices on a site mosquitto bridged to the central node's "
            + "(default: ${DEFAULT-VALUE})")
    String broker;
    @Option(names = "--kill-at", paramLabel = "N", description = "SIGKILL device-1 once N micro-batches are done, "
            + "to watch the job detect it and recover (default: no failure)")
    long killAt = -1;

    @Override
    public Integer call() throws Exception {
        var err = spec.commandLine().getErr();
        job.check(spec.commandLine(), ExtensionConfig.DEFAULT_DATASET_DIR);
        if (slowdowns.size() > job.devices()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), slowdowns.size()
                    + " slowdowns for " + job.devices() + " devices");
        }
        if (killAt >= 0 && job.devices() < 2) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--kill-at needs 2 devices or more");
        }
        Path work = Files.createDirectories(job.report().toAbsolutePath().resolveSibling("demo-work"));
        if (!BrokerFacts.NAMES.contains(broker)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--broker must be one of "
                    + String.join(", ", BrokerFacts.NAMES) + ", got '" + broker + "'");
        }
        err.println(broker.equals(BrokerFacts.HIVEMQ) ? "starting HiveMQ CE with the ftpipe extension..."
                : "starting " + broker + " and the central node as its client...");
        try (DemoBroker demo = DemoBroker.start(broker, work)) {
            err.println("broker at " + demo.url() + "; starting " + job.devices() + " device processes (logs in "
                    + work.resolve("devices") + ")");
            List<Process> processes = new ArrayList<>();
            try {
                for (int i = 0; i < job.devices(); i++) {
                    String slowdown = String.valueOf(i < slowdowns.size() ? slowdowns.get(i) : 1.0);
                    processes.add(DeviceProcess.start("device-" + i, Map.of("--broker-url", demo.url(),
                            "--threads", String.valueOf(deviceThreads), "--slowdown", slowdown),
                            work.resolve("devices")));
                }
                JobDriver.run(demo.central(), job, deviceThreads, spec.commandLine().getOut(), err,
                        killer(processes, err), demo.facts());
                return 0;
            } finally {
                processes.forEach(Process::destroy);
            }
        }
    }

    /** Kills device-1 (a middle stage, or the last of two) when {@code --kill-at} micro-batches are done. */
    private JobListener killer(List<Process> processes, java.io.PrintWriter err) {
        if (killAt < 0) {
            return JobListener.NONE;
        }
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        return new JobListener() {
            @Override
            public void microBatchDone(long finished, double loss) {
                if (finished >= killAt && done.compareAndSet(false, true)) {
                    err.println("killing device-1 (SIGKILL) after " + finished + " micro-batches");
                    processes.get(1).destroyForcibly();
                }
            }
        };
    }
}
