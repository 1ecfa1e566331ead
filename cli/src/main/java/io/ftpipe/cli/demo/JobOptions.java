package io.ftpipe.cli.demo;

import io.ftpipe.broker.central.JobDefaults;
import io.ftpipe.broker.central.JobSpec;
import io.ftpipe.cli.Preflight;
import io.ftpipe.cli.options.BatchSizeOption;
import io.ftpipe.cli.options.DataOptions;
import io.ftpipe.zoo.model.LoadedModel;
import io.ftpipe.cli.options.DevicesOption;
import io.ftpipe.cli.options.EpochsOption;
import io.ftpipe.cli.options.ModelOption;
import io.ftpipe.cli.options.ReportOption;
import io.ftpipe.cli.options.ScheduleOption;
import io.ftpipe.cli.options.SeedOption;
import io.ftpipe.zoo.optim.OptimizerConfig;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * The options that describe a pipeline job, shared by {@code demo} and {@code broker}, with the
 * defaults of a job submitted through the CoAP management API ({@link JobDefaults}).
 */
public final class JobOptions {
    @Mixin
    private DevicesOption devices = new DevicesOption(JobDefaults.DEVICES);
    @Mixin
    private ModelOption model = new ModelOption(JobDefaults.MODEL);
    @Mixin
    private EpochsOption epochs = new EpochsOption(JobDefaults.EPOCHS);
    @Mixin
    private ScheduleOption schedule = new ScheduleOption();
    @Mixin
    private BatchSizeOption batchSize = new BatchSizeOption(JobDefaults.BATCH_SIZE);
    @Option(names = "--micro-batches", defaultValue = "" + JobDefaults.GPIPE_MICRO_BATCHES,
            description = "per step, gpipe only")
    int microBatches;
    @Option(names = "--lr", defaultValue = "" + JobDefaults.LR, description = "Adam learning rate")
    double lr;
    @Mixin
    private SeedOption seed = new SeedOption(JobDefaults.SEED);
    @Mixin
    private DataOptions data = new DataOptions();
    @Option(names = "--planner", defaultValue = JobDefaults.PLANNER, description = "adaptive (re-plans from measured "
            + "device speeds) or speed-blind (default: ${DEFAULT-VALUE})")
    String planner;
    @Option(names = "--chain-period", defaultValue = "" + JobDefaults.CHAIN_PERIOD, description = "micro-batches "
            + "between a stage's replicas to the next stage; 0 = off (default: ${DEFAULT-VALUE}, FTPipeHD's)")
    int chainPeriod;
    @Option(names = "--global-period", defaultValue = "" + JobDefaults.GLOBAL_PERIOD, description = "micro-batches "
            + "between a stage's replicas to the central node; 0 = off (default: ${DEFAULT-VALUE}, FTPipeHD's)")
    int globalPeriod;
    @Option(names = "--replay-lost", negatable = true, defaultValue = "" + JobDefaults.REPLAY_LOST,
            fallbackValue = "true", description = "after a recovery, replay the micro-batches whose updates a "
            + "restored unit lost, so every update is applied exactly once; --no-replay-lost loses them and "
            + "replays less (default: ${DEFAULT-VALUE})")
    boolean replayLost;
    @Option(names = "--wire-dtype", defaultValue = "float32", paramLabel = "float32|float16|bfloat16",
            description = "how activations and gradients cross stage boundaries; halves halve the bytes on slow "
                    + "links, weights stay float32 (default: ${DEFAULT-VALUE})")
    String wireDtype;
    @Mixin
    private ReportOption report = new ReportOption("runs/demo.json");

    public int devices() {
        return devices.value();
    }

    public Path report() {
        return report.file();
    }

    /**
     * Checks what can be checked before a broker or a device starts: the model, the options as a
     * job, and the data set the job reads.
     */
    public void check(CommandLine cmd, Path datasetDir) {
        JobSpec job;
        try {
            job = spec("check");
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cmd, e.getMessage());
        }
        LoadedModel loaded = Preflight.model(cmd, job.model(), job.sources().reinitialize());
        Preflight.data(loaded, job.sources(), job.synthetic(), job.seed(), datasetDir);
    }

    /** @throws IllegalArgumentException if the options make no job */
    public JobSpec spec(String id) {
        return new JobSpec(id, modelName(), devices.value(), schedule.name(), batchSize.value(),
                schedule.microBatches(microBatches), epochs.value(), OptimizerConfig.adam(lr, 0), seed.value(),
                data.synthetic(), data.limit(), planner, new JobSpec.Replication(chainPeriod, globalPeriod,
                replayLost), data.sources(), wireDtype);
    }

    /** A zoo model's name, or the imported file as an absolute path (the central node may run elsewhere). */
    private String modelName() {
        String name = model.name();
        return LoadedModel.isOnnxFile(name) ? Path.of(name).toAbsolutePath().toString() : name;
    }
}
