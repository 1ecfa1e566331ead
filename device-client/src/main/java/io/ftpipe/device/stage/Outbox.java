package io.ftpipe.device.stage;

import io.ftpipe.protocol.Message;

/** Where a stage sends what it produces: the next stage, the previous one, the central node. */
public interface Outbox {
    void toNextStage(Message.Forward m);

    void toPreviousStage(Message.Backward m);

    void toCentral(Message.Progress m);
}
