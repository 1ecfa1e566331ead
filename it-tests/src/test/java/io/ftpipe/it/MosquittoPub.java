package io.ftpipe.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Debian's {@code mosquitto_pub}, a client that is not ours: its exit code and what it printed. */
record MosquittoPub(int exitCode, String output, List<String> command) {
    static MosquittoPub run(int port, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("mosquitto_pub", "-h", "127.0.0.1", "-p", String.valueOf(port),
                "-d"));
        command.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("mosquitto_pub is not installed: apt-get install mosquitto-clients", e);
        }
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("mosquitto_pub did not end: " + command);
        }
        return new MosquittoPub(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                command);
    }

    String transcript() {
        return String.join(" ", command) + " -> exit " + exitCode + "\n" + output;
    }
}
