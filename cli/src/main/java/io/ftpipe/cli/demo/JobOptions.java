package io.ftpipe.cli.demo;

import io.ftpipe.broker.central.JobSpec;
import io.ftpipe.cli.Preflight;
import io.ftpipe.protocol.Schedule;
import io.ftpipe.zoo.optim.OptimizerConfig;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The options that describe a pipeline job, shared by {@code demo} and {@code broker}. */
public final class JobOptions {
    @Option(names = "--devices", defaultValue = "3", description = "devices to train on (default: ${DEFAULT-VALUE})")
    public int devices;
    @Option(names = "--model", defaultValue = "cnn", description = "mlp, cnn or mobilenetv2 (default: ${DEFAULT-VALUE})")
    String model;
    @Option(names = "--epochs", defaultValue = "1")
    int epochs;
    @Option(names = "--schedule", defaultValue = Schedule.Names.ONE_F_ONE_B,
            description = "1f1b (asynchronous, PipeDream's), "
            + "1f1b-overlap (1f1b with more micro-batches in flight to overlap the broker's round trips: faster, "
            + "staler weights) or gpipe (synchronous)")
    String schedule;
    @Option(names = "--batch-size", defaultValue = "64")
    int batchSize;
    @Option(names = "--micro-batches", defaultValue = "4", description = "per step, gpipe only")
    int microBatches;
    @Option(names = "--lr", defaultValue = "0.001", description = "Adam learning rate")
    double lr;
    @Option(names = "--seed", defaultValue = "1")
    long seed;
    @Option(names = "--synthetic", defaultValue = "0", description = "train on N generated samples instead of Fashion-MNIST")
    int synthetic;
    @Option(names = "--limit", defaultValue = "0", description = "use only the first N training samples")
    int limit;
    @Option(names = "--planner", defaultValue = JobSpec.ADAPTIVE, description = "adaptive (re-plans from measured "
            + "device speeds) or speed-blind (default: ${DEFAULT-VALUE})")
    String planner;
    @Option(names = "--chain-period", defaultValue = "100", description = "micro-batches between a stage's "
            + "replicas to the next stage; 0 = off (default: ${DEFAULT-VALUE}, FTPipeHD's)")
    int chainPeriod;
    @Option(names = "--global-period", defaultValue = "200", description = "micro-batches between a stage's "
            + "replicas to the central node; 0 = off (default: ${DEFAULT-VALUE}, FTPipeHD's)")
    int globalPeriod;
    @Option(names = "--report", defaultValue = "runs/demo.json")
    public Path report;

    /**
     * Checks what can be checked before a broker or a device starts: the model, the options as a
     * job, and the data set the job reads.
     */
    public void check(picocli.CommandLine cmd, java.nio.file.Path datasetDir) {
        Preflight.model(cmd, model);
        try {
            spec("check");
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(cmd, e.getMessage());
        }
        Preflight.data(synthetic, datasetDir);
    }

    public JobSpec spec(String id) {
        int micro = Schedule.named(schedule).microBatchesPerStep(microBatches);
        return new JobSpec(id, model, devices, schedule, batchSize, micro, epochs, OptimizerConfig.adam(lr, 0), seed,
                synthetic, limit, planner, new JobSpec.Replication(chainPeriod, globalPeriod));
    }
}
