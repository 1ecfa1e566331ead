package io.ftpipe.device;

import io.ftpipe.device.mqtt.MqttTransport;
import io.ftpipe.device.mqtt.TransportException;
import io.ftpipe.protocol.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A central node that runs as a client of the broker ({@code ftpipe central}) can restart while
 * the broker and the devices' connections stay up; it then announces its start on
 * {@link Topics#CENTRAL_EVENTS} (not retained), and a device says hello again, as it does when its
 * broker restarts. Inside HiveMQ the central node restarts with its broker and announces nothing.
 */
final class CentralStarts {
    private static final Logger LOG = LoggerFactory.getLogger(CentralStarts.class);

    private CentralStarts() {
    }

    /** Runs {@code helloAgain} (which must return quickly) on every announced start. */
    static void follow(MqttTransport transport, Runnable helloAgain) {
        try {
            transport.subscribe(Topics.CENTRAL_EVENTS, 1, (topic, payload) -> helloAgain.run());
        } catch (TransportException e) {
            // The HiveMQ extension's access rules give devices no such topic, and need none.
            LOG.info("not following central node starts on {}: {}", Topics.CENTRAL_EVENTS, e.getMessage());
        }
    }
}
