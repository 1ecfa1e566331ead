package io.ftpipe.broker.embedded;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A TLS listener for an embedded broker: HiveMQ's {@code <tls-tcp-listener>} with a keystore
 * holding the broker's private key and certificate (JKS or PKCS#12). Clients connect with
 * {@code ssl://host:port} and must trust the certificate (a device's {@code truststore}).
 *
 * @param port               TCP port of the TLS listener (besides the plain one)
 * @param keystore           the keystore file
 * @param keystorePassword   the keystore's password
 * @param privateKeyPassword the private key's password (PKCS#12 keystores made by keytool use
 *                           the keystore's)
 */
public record TlsListener(int port, Path keystore, String keystorePassword, String privateKeyPassword) {
    public TlsListener {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("TLS port must be 1-65535, got " + port);
        }
        Objects.requireNonNull(keystore, "keystore");
        Objects.requireNonNull(keystorePassword, "keystorePassword");
        Objects.requireNonNull(privateKeyPassword, "privateKeyPassword");
    }

    /** The usual case: the key's password is the keystore's. */
    public static TlsListener of(int port, Path keystore, String password) {
        return new TlsListener(port, keystore, password, password);
    }

    /** Keeps the passwords out of logs. */
    @Override
    public String toString() {
        return "TlsListener[port=" + port + ", keystore=" + keystore + "]";
    }
}
