package io.ftpipe.centralclient.mqtt;

import io.ftpipe.protocol.net.NoDelaySslSocketFactory;
import io.ftpipe.centralclient.configuration.BrokerConnection;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

/**
 * The TLS side of an {@code ssl://} connection: the broker's certificate is trusted if a
 * certificate of the truststore signed it (the JVM's CAs without one), and the node shows its own
 * certificate from the keystore when one is given (brokers that ask for client certificates).
 */
final class TlsContext {
    private TlsContext() {
    }

    /** @throws IllegalArgumentException naming the file that cannot be used, and why */
    static SSLSocketFactory socketFactory(BrokerConnection c) {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (c.truststore() == null) {
                trust.init((KeyStore) null);
            } else {
                KeyStore store = load(c.truststore(), c.truststorePassword(), "truststore");
                if (store.size() == 0) {
                    throw new IllegalArgumentException("truststore " + c.truststore() + " holds no certificate");
                }
                trust.init(store);
            }
            KeyManager[] keys = null;
            if (c.keystore() != null) {
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                char[] password = c.keystorePassword() == null ? new char[0] : c.keystorePassword().toCharArray();
                kmf.init(load(c.keystore(), c.keystorePassword(), "keystore"), password);
                keys = kmf.getKeyManagers();
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys, trust.getTrustManagers(), null);
            return new NoDelaySslSocketFactory(context.getSocketFactory());
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot set up TLS for " + c.brokerUrl() + ": " + e.getMessage(), e);
        }
    }

    private static KeyStore load(Path file, String password, String what) throws GeneralSecurityException {
        try (InputStream in = Files.newInputStream(file)) {
            // The default type (PKCS#12) also reads JKS files.
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(in, password == null ? null : password.toCharArray());
            return store;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + what + " " + file + ": " + e.getMessage(), e);
        }
    }
}
