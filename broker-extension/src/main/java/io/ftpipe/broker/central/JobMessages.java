package io.ftpipe.broker.central;

import io.ftpipe.protocol.Message;
import io.ftpipe.protocol.ProtocolException;
import io.ftpipe.protocol.RejectReason;

/** Which job a device's message belongs to: the central node hands each to that job alone. */
final class JobMessages {
    private JobMessages() {
    }

    /** @throws ProtocolException for a message that no job takes (a device may not send it to the central node) */
    static String jobOf(Message m) {
        if (m instanceof Message.Ack a) {
            return a.job();
        } else if (m instanceof Message.Prepared p) {
            return p.job();
        } else if (m instanceof Message.Weights w) {
            return w.job();
        } else if (m instanceof Message.Progress p) {
            return p.job();
        } else if (m instanceof Message.DeviceError e) {
            return e.job();
        } else if (m instanceof Message.Replica r) {
            return r.job();
        }
        throw new ProtocolException(RejectReason.UNEXPECTED, m.getClass().getSimpleName() + " is not for the central node");
    }
}
