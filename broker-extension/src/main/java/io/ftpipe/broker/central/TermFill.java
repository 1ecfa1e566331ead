package io.ftpipe.broker.central;

import java.util.Optional;

/**
 * How long a new term took to fill: from its start to the first loss (a micro-batch's forward
 * through every stage) and to the first finished micro-batch (its backward back through stage 0).
 * What a layout change costs after its drain and collect; told once per term. Under the job's lock.
 */
final class TermFill {
    private long term = -1;
    private long startMillis;
    private long lossMillis = -1;
    private long doneMillis = -1;
    private boolean told;

    void started(long term, long nowMillis) {
        this.term = term;
        startMillis = nowMillis;
        lossMillis = -1;
        doneMillis = -1;
        told = false;
    }

    void loss(long nowMillis) {
        if (lossMillis < 0) {
            lossMillis = nowMillis;
        }
    }

    void done(long nowMillis) {
        if (doneMillis < 0) {
            doneMillis = nowMillis;
        }
    }

    /** The event, once the term's first micro-batch has finished, and only the first time asked. */
    Optional<String> untold() {
        if (told || doneMillis < 0) {
            return Optional.empty();
        }
        told = true;
        String loss = lossMillis < 0 ? "" : "first loss after " + (lossMillis - startMillis) + " ms, ";
        return Optional.of("term " + term + " filled: " + loss + "first micro-batch finished after "
                + (doneMillis - startMillis) + " ms");
    }
}
