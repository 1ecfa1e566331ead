package io.ftpipe.it;

import io.ftpipe.cli.FtpipeMain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code ftpipe broker} (HiveMQ with the extension) in a JVM of its own, so that a test can kill
 * it as an operator's machine would lose it. The classpath goes through an argfile: ONNX Runtime
 * crashes on long command lines (DESIGN §6).
 */
final class BrokerProcess implements AutoCloseable {
    private final Process process;
    final Path log;

    private BrokerProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code ftpipe broker args...}; its output goes to {@code work/<logName>}. */
    static BrokerProcess start(Path work, String logName, List<String> args) throws IOException {
        Files.createDirectories(work);
        Path argfile = work.resolve("broker-classpath.args");
        Files.writeString(argfile, "-cp \"" + System.getProperty("java.class.path").replace("\\", "\\\\") + "\"\n");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx2g", "@" + argfile, FtpipeMain.class.getName(), "broker"));
        command.addAll(args);
        Path log = work.resolve(logName);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("ORT_DISABLE_TELEMETRY", "1");
        return new BrokerProcess(pb.start(), log);
    }

    String output() throws IOException {
        return Files.readString(log);
    }

    /** SIGKILL: no shutdown hook, no last words. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
