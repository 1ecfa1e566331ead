package io.ftpipe.cli.bench;

import io.ftpipe.cli.FtpipeMain;
import io.ftpipe.device.ChildJvm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code ftpipe broker} (HiveMQ with the extension) in a JVM of its own, so that a benchmark or a
 * test can kill it as an operator's machine would lose it, running in its work folder ({@link ChildJvm}).
 * The classpath goes through an argfile: ONNX Runtime crashes on long command lines (docs/design.md).
 */
public final class BrokerProcess implements AutoCloseable {
    /** What {@code ftpipe broker} prints once it accepts connections. */
    public static final String LISTENING = "central node listening";
    private final Process process;
    private final Path log;

    private BrokerProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code ftpipe broker args...}; its output goes to {@code work/<logName>}. */
    public static BrokerProcess start(Path work, String logName, List<String> args) throws IOException {
        Files.createDirectories(work);
        Path argfile = work.resolve("broker-classpath.args");
        Files.writeString(argfile, "-cp \"" + System.getProperty("java.class.path").replace("\\", "\\\\") + "\"\n");
        List<String> command = new ArrayList<>(List.of("broker"));
        command.addAll(args);
        Path log = work.resolve(logName).toAbsolutePath();
        return new BrokerProcess(ChildJvm.builder(work, "2g", argfile, FtpipeMain.class.getName(), command)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start(), log);
    }

    public String output() throws IOException {
        return Files.readString(log);
    }

    /** SIGKILL: no shutdown hook, no last words. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Waits until the broker listens; its log says so. */
    public void awaitListening(long timeoutMillis) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (!output().contains(LISTENING)) {
            if (!process.isAlive() || System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("the broker did not start; its log " + log + ":\n" + output());
            }
            Thread.sleep(100);
        }
    }

    /**
     * @return true, so that it can guard a wait
     * @throws IllegalStateException if the broker has exited (a job it failed ends it): waiting on
     *                               would only run into the timeout
     */
    public boolean requireRunning() throws IOException {
        if (!process.isAlive()) {
            throw new IllegalStateException("the broker exited with " + process.exitValue() + "; its log " + log
                    + ":\n" + output());
        }
        return true;
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
