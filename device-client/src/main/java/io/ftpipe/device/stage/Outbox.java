package io.ftpipe.device.stage;

import io.ftpipe.protocol.Message;

/** Where a stage sends what it produces: the next stage, the previous one, the central node. */
public interface Outbox {
    void toNextStage(Message.Forward m);

    void toPreviousStage(Message.Backward m);

    void toCentral(Message.Progress m);

    /**
     * A copy of the stage's units: {@code chain} to the next stage's device (the last stage's to
     * the central node), otherwise to the central node.
     */
    void replicate(Message.Replica m, boolean chain);

    /**
     * One round of replication took the stage {@code nanos}: capturing its units' states and the
     * {@link #replicate} calls that sent them.
     */
    void replicated(long nanos);
}
