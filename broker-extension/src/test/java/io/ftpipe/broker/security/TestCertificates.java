package io.ftpipe.broker.security;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed broker certificate made at test time with the JDK's keytool (no downloads, nothing
 * checked in): the broker's PKCS#12 keystore, the certificate as PEM (for mosquitto and other
 * C clients) and a PKCS#12 truststore holding it (for Java clients). The whole-system tests use it
 * too.
 */
public record TestCertificates(Path keystore, Path certificate, Path truststore, String password) {

    /** For {@code localhost} and {@code 127.0.0.1}, valid for two days. */
    public static TestCertificates create(Path dir) throws IOException, InterruptedException {
        String password = "test-" + Long.toHexString(System.nanoTime());
        TestCertificates c = new TestCertificates(dir.resolve("broker.p12"), dir.resolve("broker.pem"),
                dir.resolve("trust.p12"), password);
        keytool("-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", c.keystore.toString(), "-storepass", password, "-keypass", password);
        keytool("-exportcert", "-rfc", "-alias", "broker", "-keystore", c.keystore.toString(), "-storepass", password,
                "-file", c.certificate.toString());
        keytool("-importcert", "-noprompt", "-alias", "broker", "-file", c.certificate.toString(), "-storetype",
                "PKCS12", "-keystore", c.truststore.toString(), "-storepass", password);
        return c;
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool")
                .toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool " + args[0] + " failed: " + out);
        }
    }
}
