package io.ftpipe.it;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The gateway package that device-client builds (ftpipe-device-VERSION.tar.gz), unpacked the way an
 * operator does it, with tar, so file modes are what a gateway gets. Maven copies the tar.gz of
 * this build into it-tests/target and names it in {@code ftpipe.devicePackage}.
 */
final class DevicePackage {
    /** The folder the tar.gz unpacked into: bin/, lib/, conf/, systemd/, install.sh. */
    final Path home;

    private DevicePackage(Path home) {
        this.home = home;
    }

    /** What a finished command said and how it ended. */
    record Ran(int exitCode, String output) {
        @Override
        public String toString() {
            return "exit " + exitCode + ", output:\n" + output;
        }
    }

    static DevicePackage unpack(Path into) throws Exception {
        String property = System.getProperty("ftpipe.devicePackage");
        assertNotNull(property, "ftpipe.devicePackage is not set: run this test through Maven (mvn verify)");
        Path tarball = Path.of(property);
        assertTrue(Files.isRegularFile(tarball), "no device package at " + tarball);
        Files.createDirectories(into);
        Ran untar = run(new ProcessBuilder("tar", "-xzf", tarball.toString(), "-C", into.toString()),
                Duration.ofSeconds(120));
        assertEquals(0, untar.exitCode(), "tar: " + untar);
        List<Path> top;
        try (Stream<Path> entries = Files.list(into)) {
            top = entries.toList();
        }
        String expected = "ftpipe-device-" + System.getProperty("ftpipe.deviceVersion");
        assertEquals(List.of(into.resolve(expected)), top, "one top folder named " + expected);
        return new DevicePackage(top.get(0));
    }

    Path launcher() {
        return home.resolve("bin/ftpipe-device");
    }

    /**
     * bin/ftpipe-device with this JVM's Java as JAVA_HOME and none of the settings this test JVM
     * may have inherited: no FTPIPE_* variable, and no ORT_DISABLE_TELEMETRY, which the launcher
     * must set itself.
     */
    ProcessBuilder device(String... args) {
        ProcessBuilder pb = new ProcessBuilder(Stream.concat(Stream.of(launcher().toString()), Stream.of(args)).toList())
                .directory(home.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("FTPIPE_") || k.equals("ORT_DISABLE_TELEMETRY"));
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        // As an operator would keep a gateway's files together: temporary and crash files in its home.
        pb.environment().put("FTPIPE_JAVA_OPTS", "-Djava.io.tmpdir=" + home + " -XX:ErrorFile=" + home
                + "/hs_err_pid%p.log");
        return pb;
    }

    /** Runs a command to its end (killed after {@code timeout}), stdout and stderr together. */
    static Ran run(ProcessBuilder pb, Duration timeout) throws IOException, InterruptedException {
        File log = Files.createTempFile("ftpipe-run", ".log").toFile();
        try {
            Process p = pb.redirectErrorStream(true).redirectOutput(log).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor();
                fail(pb.command() + " did not finish within " + timeout + ":\n" + Files.readString(log.toPath()));
            }
            return new Ran(p.exitValue(), Files.readString(log.toPath(), StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log.toPath());
        }
    }
}
