package io.ftpipe.it;

import io.ftpipe.cli.CentralCommand;
import io.ftpipe.cli.FtpipeMain;
import io.ftpipe.device.ChildJvm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code ftpipe central} in a JVM of its own, so that a test can SIGKILL it as a machine would lose
 * it; it runs in its work folder ({@link ChildJvm}), its output goes to {@code work/<logName>}.
 */
final class CentralProcess implements AutoCloseable {
    private final Process process;
    private final Path log;

    private CentralProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static CentralProcess start(Path work, String logName, List<String> args) throws IOException {
        Files.createDirectories(work);
        Path argfile = work.resolve("central-classpath.args");
        Files.writeString(argfile, "-cp \"" + System.getProperty("java.class.path").replace("\\", "\\\\") + "\"\n");
        List<String> command = new ArrayList<>(List.of("central"));
        command.addAll(args);
        Path log = work.resolve(logName).toAbsolutePath();
        return new CentralProcess(ChildJvm.builder(work, "2g", argfile, FtpipeMain.class.getName(), command)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start(), log);
    }

    String output() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** Waits until it says it is connected to the broker. */
    void awaitConnected(long timeoutMillis) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (!output().contains(CentralCommand.CONNECTED)) {
            requireRunning();
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("ftpipe central did not connect; its log " + log + ":\n" + output());
            }
            Thread.sleep(100);
        }
    }

    /** @return true, to guard a wait: a central node that exited will not finish the job */
    boolean requireRunning() throws IOException {
        if (!process.isAlive()) {
            throw new IllegalStateException("ftpipe central exited with " + process.exitValue() + "; its log " + log
                    + ":\n" + output());
        }
        return true;
    }

    /** SIGKILL: no shutdown hook, no DISCONNECT (the broker publishes its Last Will). */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
