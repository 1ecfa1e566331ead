package io.ftpipe.broker.central;

import io.ftpipe.protocol.Schedule;

/**
 * What a job is when its submitter leaves a setting out: the one set of defaults behind
 * {@code ftpipe demo} and {@code ftpipe broker --train} (the CLI's options) and {@code POST /jobs}
 * (the CoAP management API). Constants, so picocli's {@code defaultValue} can name them.
 */
public final class JobDefaults {
    public static final String MODEL = "cnn";
    public static final int DEVICES = 3;
    public static final int EPOCHS = 1;
    public static final String SCHEDULE = Schedule.Names.ONE_F_ONE_B;
    public static final int BATCH_SIZE = 64;
    /** GPipe's split of a batch; 1F1B sends each batch as one micro-batch. */
    public static final int GPIPE_MICRO_BATCHES = 4;
    /** Adam's learning rate. */
    public static final double LR = 0.001;
    public static final long SEED = 1;
    /** Fashion-MNIST rather than generated samples. */
    public static final int SYNTHETIC = 0;
    /** The whole training set. */
    public static final int LIMIT = 0;
    public static final String PLANNER = JobSpec.ADAPTIVE;
    /** Each channel's mean and standard deviation over the training set. */
    public static final String NORMALIZE = "auto";
    /** FTPipeHD's replication periods, in micro-batches. */
    public static final int CHAIN_PERIOD = 100;
    public static final int GLOBAL_PERIOD = 200;
    /** A recovery gives restored units the updates they lost: exactly-once updates. */
    public static final boolean REPLAY_LOST = true;

    private JobDefaults() {
    }
}
