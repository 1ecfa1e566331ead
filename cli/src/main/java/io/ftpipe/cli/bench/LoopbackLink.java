package io.ftpipe.cli.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A device's network link to the broker, on loopback: a TCP relay that can be taken down and
 * brought up again, as a gateway's uplink drops out. While it is down nothing crosses in either
 * direction and nobody is told; what was sent meanwhile arrives once it is up (TCP retransmits),
 * so the device's messages of before the outage arrive late. Neither side's connection closes
 * unless the link is {@linkplain #cut cut}.
 */
public final class LoopbackLink implements AutoCloseable {
    private final ServerSocket server;
    private final String brokerHost;
    private final int brokerPort;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final Object upLock = new Object();
    private boolean down;

    public LoopbackLink(String brokerHost, int brokerPort) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.brokerHost = brokerHost;
        this.brokerPort = brokerPort;
        Thread acceptor = new Thread(this::accept, "link-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The broker's URI as seen through the link. */
    public String uri() {
        return "tcp://127.0.0.1:" + server.getLocalPort();
    }

    public void down() {
        synchronized (upLock) {
            down = true;
        }
    }

    /**
     * Down, and every connection through the link closed, as after an outage too long for TCP: both
     * sides see their connection drop, and the device's reconnects wait until the link is up.
     */
    public void cut() {
        down();
        open.forEach(LoopbackLink::closeQuietly);
        open.clear();
    }

    public void up() {
        synchronized (upLock) {
            down = false;
            upLock.notifyAll();
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            Socket device;
            try {
                device = server.accept();
            } catch (IOException e) {
                // The link closed.
                continue;
            }
            try {
                Socket broker = new Socket(brokerHost, brokerPort);
                open.add(device);
                open.add(broker);
                relay(device, broker);
                relay(broker, device);
            } catch (IOException e) {
                // The broker refused (it is restarting, say): the device sees its connection
                // refused at once, and retries as it would.
                closeQuietly(device);
            }
        }
    }

    private void relay(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    awaitUp();
                    out.write(buffer, 0, n);
                }
            } catch (IOException | InterruptedException e) {
                // One side closed, or the link was closed.
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "relay");
        t.setDaemon(true);
        t.start();
    }

    private void awaitUp() throws InterruptedException {
        synchronized (upLock) {
            while (down) {
                upLock.wait();
            }
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // Closing is all that is wanted.
        }
    }

    @Override
    public void close() throws IOException {
        up();
        server.close();
        open.forEach(LoopbackLink::closeQuietly);
    }
}
