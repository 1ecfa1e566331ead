package io.ftpipe.broker;

/**
 * The central node as the broker side sees it: it takes device messages and presence events, and
 * is closed when the extension stops (HiveMQ shutdown, or the extension being disabled).
 */
public interface CentralNode extends CentralInbox, PresenceHandler, AutoCloseable {

    /**
     * Which stages each device runs now: what the MQTT access rules let a device use when security
     * is on. A node that runs no jobs assigns nothing.
     */
    default io.ftpipe.broker.central.AssignedStages assignments() {
        return io.ftpipe.broker.central.AssignedStages.NONE;
    }

    /** Closing must not throw for ordinary reasons; the extension logs anything that escapes. */
    @Override
    void close() throws Exception;
}
