package io.ftpipe.broker.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * A loopback TCP port that was free a moment ago. HiveMQ cannot listen on port 0 and report the
 * port it got, so tests ask the OS for one first; the small race with other processes is accepted.
 */
public final class FreePort {

    private FreePort() {
    }

    /** A loopback UDP port that was free a moment ago (for the CoAP management API). */
    public static int findUdp() {
        try (java.net.DatagramSocket socket = new java.net.DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free UDP port on loopback", e);
        }
    }

    public static int find() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free TCP port on loopback", e);
        }
    }
}
