package io.ftpipe.broker.central;

import java.util.List;

/** Devices failed or the pipeline stalled: the job must recover before it can go on. */
final class PipelineBroken extends Exception {
    final List<FailureDetector.Failure> failures;

    PipelineBroken(List<FailureDetector.Failure> failures, String why) {
        super(why);
        this.failures = failures;
    }
}
