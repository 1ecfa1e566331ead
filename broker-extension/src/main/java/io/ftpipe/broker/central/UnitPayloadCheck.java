package io.ftpipe.broker.central;

import io.ftpipe.protocol.Message;
import io.ftpipe.protocol.ProtocolException;
import io.ftpipe.zoo.state.UnitStatePayloads;

/**
 * The central node's check, as a message arrives, that the unit states it carries decode: a
 * malformed one is rejected there like any malformed message, not found later by the job that
 * uses it (which decodes them where it needs them).
 */
final class UnitPayloadCheck {
    private UnitPayloadCheck() {
    }

    /** @throws ProtocolException if a unit state of a {@code weights} or {@code replica} does not decode */
    static void check(Message m) {
        if (m instanceof Message.Weights w) {
            UnitStatePayloads.decode(w.units());
            w.held().forEach(r -> UnitStatePayloads.decode(r.units()));
        } else if (m instanceof Message.Replica r) {
            UnitStatePayloads.decode(r.units());
        }
    }
}
