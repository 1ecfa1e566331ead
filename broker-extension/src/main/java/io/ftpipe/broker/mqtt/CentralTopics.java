package io.ftpipe.broker.mqtt;

import io.ftpipe.protocol.Topics;

/** Which client publishes the central node must see (the rest is stage-to-stage traffic). */
public final class CentralTopics {

    private static final String PROGRESS_SUFFIX = "/" + Topics.PROGRESS;

    private CentralTopics() {
    }

    /**
     * True for {@code ftpipe/v1/devices/...} and {@code ftpipe/v1/jobs/{job}/progress}. Stage
     * topics ({@code .../stages/{s}/forward} and friends) carry tensors between devices and are
     * deliberately not copied: the central node would pay for every activation in the pipeline.
     */
    public static boolean isForCentral(String topic) {
        if (topic.startsWith(Topics.DEVICES)) {
            return true;
        }
        if (topic.startsWith(Topics.JOBS) && topic.endsWith(PROGRESS_SUFFIX)) {
            int jobStart = Topics.JOBS.length();
            int jobEnd = topic.length() - PROGRESS_SUFFIX.length();
            // exactly one, non-empty level between jobs/ and /progress
            return jobEnd > jobStart && topic.indexOf('/', jobStart) == jobEnd;
        }
        return false;
    }
}
