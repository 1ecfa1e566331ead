package org.eclipse.paho.mqttv5.common.packet.util;

import java.io.IOException;
import java.io.InputStream;

/**
 * Takes the place of Paho 1.2.5's class of the same name, which device-client's jar puts first on
 * the classpath (see {@code io.ftpipe.device.mqtt.PahoDecoding}).
 *
 * <p>Why: Paho decodes every incoming packet through this stream, and its own version reads only
 * byte by byte: copying a payload goes one virtual call and one monitor of
 * {@code ByteArrayInputStream.read()} per byte, twice per message. A 1.6 MB activation took
 * 45–60 ms of CPU to decode on a 2-core gateway, longer than most stages' compute. This one copies
 * in bulk and counts the same bytes.
 */
public class CountingInputStream extends InputStream {
    private final InputStream in;
    private int counter;

    public CountingInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b != -1) {
            counter++;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            counter += n;
        }
        return n;
    }

    /** Bytes read so far. */
    public int getCounter() {
        return counter;
    }

    public void resetCounter() {
        counter = 0;
    }
}
