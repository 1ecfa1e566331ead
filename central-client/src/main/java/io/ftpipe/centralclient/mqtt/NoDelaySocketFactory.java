package io.ftpipe.centralclient.mqtt;

import javax.net.SocketFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;

/** Plain TCP sockets with Nagle's algorithm off (see {@link NoDelaySslSocketFactory}). */
final class NoDelaySocketFactory extends SocketFactory {

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
