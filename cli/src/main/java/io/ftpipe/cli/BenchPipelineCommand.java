package io.ftpipe.cli;

import io.ftpipe.broker.central.DeviceRegistry;
import io.ftpipe.broker.central.JobDefaults;
import io.ftpipe.broker.central.JobListener;
import io.ftpipe.broker.central.JobReport;
import io.ftpipe.broker.central.JobSpec;
import io.ftpipe.broker.central.TrainingCentralNode;
import io.ftpipe.broker.embedded.EmbeddedBroker;
import io.ftpipe.broker.embedded.FreePort;
import io.ftpipe.cli.bench.DevicesJoined;
import io.ftpipe.cli.bench.HopLatency;
import io.ftpipe.cli.bench.WorkFolder;
import io.ftpipe.cli.progress.QuietLogs;
import io.ftpipe.cli.report.JsonReports;
import io.ftpipe.cli.report.Machine;
import io.ftpipe.device.DeviceProcess;
import io.ftpipe.protocol.Message;
import io.ftpipe.zoo.data.FashionMnist;
import io.ftpipe.zoo.model.ModelZoo;
import io.ftpipe.zoo.optim.OptimizerConfig;
import io.ftpipe.zoo.train.LocalTrainer;
import io.ftpipe.zoo.train.TrainConfig;
import io.ftpipe.zoo.train.TrainListener;
import io.ftpipe.cli.options.ModelOption;
import io.ftpipe.cli.options.ReportOption;
import io.ftpipe.cli.options.SamplesOption;
import io.ftpipe.cli.options.ScheduleOption;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static java.util.concurrent.TimeUnit.SECONDS;

/**
 * {@code ftpipe bench pipeline}: samples/s with 1 to N device processes against the local trainer,
 * one hop's latency by message size, and per stage the split of time between compute, sending and
 * waiting. Everything runs on this machine, so the devices share its cores.
 */
@Command(name = "pipeline", mixinStandardHelpOptions = true,
        description = "Pipeline throughput over MQTT with 1..N device processes, hop latency, per-stage time split.")
public final class BenchPipelineCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Mixin
    private ModelOption model = new ModelOption("cnn");
    @Option(names = "--max-devices", defaultValue = "4")
    int maxDevices;
    @Mixin
    private SamplesOption samples = new SamplesOption(6400);
    @Mixin
    private ScheduleOption schedule = new ScheduleOption();
    @Mixin
    private ReportOption report = new ReportOption("runs/bench-pipeline.json");

    @Override
    public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        OptimizerConfig adam = OptimizerConfig.adam(1e-3, 0);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("benchmark", "pipeline");
        json.put("model", model.name());
        json.put("schedule", schedule.name());
        json.put("samples", samples.value());

        err.println("local trainer (one process, 2 threads)...");
        var local = LocalTrainer.train(ModelZoo.create(model.name()), new TrainConfig(1, 64, 1, adam, 1, 2),
                FashionMnist.train(FashionMnist.DEFAULT_DIR).limit(samples.value()),
                FashionMnist.test(FashionMnist.DEFAULT_DIR).limit(1000), new TrainListener() {
                });
        json.put("local_samples_per_second", local.samplesPerSecond());
        out.printf("local trainer: %.0f samples/s%n", local.samplesPerSecond());

        Path work = WorkFolder.fresh(report.file().toAbsolutePath().resolveSibling("bench-pipeline-work"));
        AtomicReference<TrainingCentralNode> central = new AtomicReference<>();
        List<Map<String, Object>> runs = new ArrayList<>();
        try (EmbeddedBroker broker = EmbeddedBroker.builder(work.resolve("broker")).port(FreePort.find())
                .centralNodeFactory(TrainingCentralNode.factory(central::set)).build().start()) {
            QuietLogs.jobEvents();
            List<Map<String, Object>> hops = new ArrayList<>();
            for (int kib = 1; kib <= 16 * 1024; kib *= 4) {
                hops.add(HopLatency.measure(broker.serverUri(), kib * 1024, kib >= 4096 ? 5 : 20));
                out.printf("hop %6d KiB: %.2f ms%n", kib, hops.get(hops.size() - 1).get("median_ms"));
            }
            json.put("hop_latency", hops);
            for (int n = 1; n <= maxDevices; n++) {
                runs.add(run(broker, central.get(), n, adam, work));
                out.printf("%d device(s): %.0f samples/s%n", n, runs.get(runs.size() - 1).get("samples_per_second"));
            }
        }
        json.put("runs", runs);
        json.put("machine", Machine.describe());
        JsonReports.write(report.file(), json);
        out.println("wrote " + report.file());
        return 0;
    }

    private Map<String, Object> run(EmbeddedBroker broker, TrainingCentralNode central, int n, OptimizerConfig adam,
                                    Path work) throws Exception {
        List<Process> processes = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                String id = "bench" + n + "-" + i;
                ids.add(id);
                processes.add(DeviceProcess.start(id, Map.of("--broker-url", broker.serverUri(), "--heartbeat-millis",
                        "200"), work.resolve("devices")));
            }
            DevicesJoined.await(central, ids);
            JobReport r = central.submit(new JobSpec("bench-" + n, model.name(), n, schedule.name(), 64,
                    schedule.microBatches(JobDefaults.GPIPE_MICRO_BATCHES), 1, adam, 1, 0, samples.value()), new JobListener() {
            }).get(30, TimeUnit.MINUTES);
            Map<String, Object> run = new LinkedHashMap<>();
            run.put("devices", n);
            run.put("samples_per_second", r.samplesPerSecond());
            run.put("test_accuracy", r.testAccuracy());
            List<Map<String, Object>> stages = new ArrayList<>();
            for (JobReport.Stage s : r.stages()) {
                Message.Heartbeat h = central.registry().all().stream().filter(d -> d.id().equals(s.device()))
                        .map(DeviceRegistry.Device::lastHeartbeat).findFirst().orElse(null);
                Map<String, Object> st = new LinkedHashMap<>();
                st.put("stage", s.stage());
                st.put("units", List.of(s.from(), s.to()));
                Message.Heartbeat.StageTime t = h == null ? Message.Heartbeat.StageTime.NONE : h.time();
                if (t.totalMillis() > 0) {
                    st.put("compute_fraction", t.computeMillis() / t.totalMillis());
                    st.put("send_fraction", t.sendMillis() / t.totalMillis());
                    st.put("wait_fraction", 1 - (t.computeMillis() + t.sendMillis()) / t.totalMillis());
                }
                stages.add(st);
            }
            run.put("stages", stages);
            return run;
        } finally {
            for (Process p : processes) {
                p.destroy();
                p.waitFor(10, SECONDS);
            }
        }
    }
}
