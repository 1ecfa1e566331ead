package io.ftpipe.centralclient.mosquitto;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Debian {@code mosquitto} broker process on a configuration of ours, for the demo, the
 * benchmarks and the tests: started, waited for until it accepts connections, killed.
 */
public final class MosquittoProcess implements AutoCloseable {
    /** Debian's path; also looked up on PATH. */
    static final Path DEBIAN_BINARY = Path.of("/usr/sbin/mosquitto");
    private static final long START_TIMEOUT_MILLIS = 10_000;

    private final Process process;
    private final MosquittoConf conf;
    private final Path log;

    private MosquittoProcess(Process process, MosquittoConf conf, Path log) {
        this.process = process;
        this.conf = conf;
        this.log = log;
    }

    /**
     * Writes {@code dir/mosquitto.conf}, starts mosquitto on it with its log in
     * {@code dir/mosquitto.log}, and waits until it accepts connections.
     *
     * @throws IOException if mosquitto is not installed, or does not start
     */
    public static MosquittoProcess start(Path dir, MosquittoConf conf) throws IOException, InterruptedException {
        Path binary = binary();
        Files.createDirectories(dir);
        Path file = dir.resolve("mosquitto.conf");
        // Started by root, mosquitto switches to the user `mosquitto` unless told otherwise, which can
        // read neither a password file only its owner may read nor a test's private temporary folder:
        // a broker ftpipe starts runs as whoever started it (the option means nothing to others).
        Files.writeString(file, conf.withExtra(List.of("user " + System.getProperty("user.name"))).text());
        Path log = dir.resolve("mosquitto.log");
        Process p = new ProcessBuilder(List.of(binary.toString(), "-c", file.toAbsolutePath().toString()))
                .directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        MosquittoProcess m = new MosquittoProcess(p, conf, log);
        m.awaitListening();
        return m;
    }

    /**
     * Debian's mosquitto binary.
     *
     * @throws IOException naming the Debian package when it is not installed
     */
    public static Path binary() throws IOException {
        if (Files.isExecutable(DEBIAN_BINARY)) {
            return DEBIAN_BINARY;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, "mosquitto");
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IOException("mosquitto is not installed: install Debian's package with "
                + "`apt-get install mosquitto mosquitto-clients`");
    }

    public static boolean installed() {
        try {
            binary();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void awaitListening() throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
        while (true) {
            if (!process.isAlive()) {
                throw new IOException("mosquitto exited with " + process.exitValue() + "; its log " + log + ":\n"
                        + output());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(conf.bind(), conf.port()), 200);
                return;
            } catch (IOException e) {
                if (System.currentTimeMillis() > deadline) {
                    process.destroyForcibly();
                    throw new IOException("mosquitto did not listen on " + conf.bind() + ":" + conf.port() + " within "
                            + START_TIMEOUT_MILLIS / 1000 + " s; its log " + log + ":\n" + output());
                }
                Thread.sleep(50);
            }
        }
    }

    /** {@code tcp://bind:port}. */
    public String url() {
        return "tcp://" + conf.bind() + ":" + conf.port();
    }

    public int port() {
        return conf.port();
    }

    public long pid() {
        return process.pid();
    }

    public String output() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /**
     * Waits until the broker's log has a line containing {@code text} (a bridge connected, a plugin
     * loaded): what only the log says.
     *
     * @throws IOException if the broker exits, or the line does not come within {@code timeoutMillis}
     */
    public void awaitLog(String text, long timeoutMillis) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (!output().contains(text)) {
            if (!process.isAlive() || System.currentTimeMillis() > deadline) {
                throw new IOException("mosquitto's log " + log + " has no '" + text + "'"
                        + (process.isAlive() ? " after " + timeoutMillis / 1000 + " s" : " (it exited)") + ":\n"
                        + output());
            }
            Thread.sleep(50);
        }
    }

    /** SIGKILL, as a crash would end it. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            kill();
        }
    }
}
