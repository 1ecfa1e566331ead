package io.ftpipe.device.mqtt;

import io.ftpipe.protocol.net.NoDelaySslSocketFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * Which broker certificates a device trusts on {@code ssl://}: those signed by a certificate in
 * its truststore (JKS or PKCS#12, e.g. the broker's self-signed certificate imported with
 * keytool), or, without a truststore, the JVM's default CAs. The broker's host name is checked
 * against the certificate either way.
 */
final class TlsTrust {
    private TlsTrust() {
    }

    /**
     * @param truststore null for the JVM's default CAs
     * @param password   the truststore's password, null for none
     * @throws TransportException naming the file if it cannot be read
     */
    static SSLSocketFactory socketFactory(Path truststore, String password) {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (truststore == null) {
                trust.init((KeyStore) null);
            } else {
                // The default type (PKCS#12 since Java 9) also reads JKS files.
                KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
                try (InputStream in = Files.newInputStream(truststore)) {
                    store.load(in, password == null ? null : password.toCharArray());
                }
                if (store.size() == 0) {
                    throw new TransportException("truststore " + truststore + " holds no certificate (or its "
                            + "password is missing, so its certificates cannot be read)");
                }
                trust.init(store);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return new NoDelaySslSocketFactory(context.getSocketFactory());
        } catch (IOException | GeneralSecurityException e) {
            throw new TransportException("cannot use truststore " + truststore + ": " + e.getMessage(), e);
        }
    }
}
