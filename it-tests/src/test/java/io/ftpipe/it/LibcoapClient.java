package io.ftpipe.it;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * libcoap's command-line client (Debian's libcoap3-bin): a CoAP implementation that is not ours,
 * as an operator's script would use it.
 */
final class LibcoapClient {
    private final String executable;
    private final int port;

    private LibcoapClient(String executable, int port) {
        this.executable = executable;
        this.port = port;
    }

    /** Debian installs it as coap-client-notls (and -gnutls, -openssl); other systems as coap-client. */
    static LibcoapClient onLoopback(int port) {
        String found = Stream.of("coap-client", "coap-client-notls")
                .flatMap(name -> Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                        .map(dir -> Path.of(dir, name)))
                .filter(Files::isExecutable).map(Path::toString).findFirst()
                .orElseGet(() -> fail("coap-client is not installed: apt-get install libcoap3-bin (Debian names it "
                        + "coap-client-notls)"));
        return new LibcoapClient(found, port);
    }

    String get(String path) throws Exception {
        return run("get", path, null);
    }

    String post(String path, String body) throws Exception {
        return run("post", path, body);
    }

    /** What it prints: the payload, preceded by the response code when that is an error. */
    private String run(String method, String path, String body) throws Exception {
        List<String> command = new ArrayList<>(List.of(executable, "-m", method));
        if (body != null) {
            command.addAll(List.of("-e", body));
        }
        command.add("coap://127.0.0.1:" + port + "/" + path);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "coap-client did not finish: " + String.join(" ", command));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
