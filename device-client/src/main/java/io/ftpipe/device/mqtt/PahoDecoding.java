package io.ftpipe.device.mqtt;

import org.eclipse.paho.mqttv5.common.packet.util.CountingInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether Paho decodes incoming packets in bulk, which it does when device-client's own
 * {@link CountingInputStream} comes before Paho's jar on the classpath (the gateway's
 * {@code java -jar}, the {@code ftpipe} launcher's jar manifest and the test classpaths all put it
 * there). Otherwise every payload byte costs a monitor and two calls: about 30 ms of CPU per MB.
 */
public final class PahoDecoding {
    private static final Logger LOG = LoggerFactory.getLogger(PahoDecoding.class);

    private PahoDecoding() {
    }

    /** Device-client's bulk-reading stream is the one Paho loads. */
    public static boolean bulk() {
        try {
            CountingInputStream.class.getDeclaredMethod("read", byte[].class, int.class, int.class);
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    /** Logs a warning, naming the fix, when Paho would copy payloads byte by byte. */
    static void warnIfSlow() {
        if (!bulk()) {
            LOG.warn("Paho's own CountingInputStream (from {}) is loaded: incoming messages are decoded byte by "
                    + "byte, about 30 ms of CPU per MB. Put the device-client jar before Paho's on the classpath.",
                    CountingInputStream.class.getProtectionDomain().getCodeSource());
        }
    }
}
