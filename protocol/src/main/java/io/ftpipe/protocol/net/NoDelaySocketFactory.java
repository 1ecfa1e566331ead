package io.ftpipe.protocol.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.SocketFactory;

/**
 * Plain TCP sockets with Nagle's algorithm off. Paho writes a PUBLISH in several small writes;
 * with Nagle on, the tail waits for the peer's delayed ACK and every message stalls ~40 ms.
 * Paho calls {@link #createSocket()} and connects the socket itself; the other overloads are
 * here because {@link SocketFactory} requires them.
 */
public final class NoDelaySocketFactory extends SocketFactory {

    @Override
    public Socket createSocket() throws IOException {
        return NoDelaySslSocketFactory.noDelay(new Socket());
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return NoDelaySslSocketFactory.noDelay(new Socket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return NoDelaySslSocketFactory.noDelay(new Socket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return NoDelaySslSocketFactory.noDelay(new Socket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return NoDelaySslSocketFactory.noDelay(new Socket(address, port, localAddress, localPort));
    }
}
