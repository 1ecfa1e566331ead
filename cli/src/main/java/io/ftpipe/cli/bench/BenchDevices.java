package io.ftpipe.cli.bench;

import io.ftpipe.device.DeviceProcess;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * A benchmark run's device JVMs, each under its id: started, killed and started again as a gateway
 * reboots, paused and resumed.
 */
public final class BenchDevices implements AutoCloseable {
    private final Path work;
    private final Map<String, Process> processes = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> flagsOf = new HashMap<>();

    /** @param work where the devices' work folders go */
    public BenchDevices(Path work) {
        this.work = work;
    }

    /**
     * Starts device {@code id} with {@code flags}.
     *
     * @param launcher how its JVM is started (e.g. on a testbed host)
     */
    public void start(String id, Map<String, String> flags, UnaryOperator<List<String>> launcher) throws IOException {
        flagsOf.put(id, Map.copyOf(flags));
        processes.put(id, DeviceProcess.start(id, flags, work, launcher));
    }

    public void start(String id, Map<String, String> flags) throws IOException {
        start(id, flags, UnaryOperator.identity());
    }

    public List<String> ids() {
        return List.copyOf(processes.keySet());
    }

    /** CPU time the device JVMs have spent so far, summed (zero for one whose time the OS does not tell). */
    public Duration cpu() {
        return processes.values().stream().map(p -> p.info().totalCpuDuration().orElse(Duration.ZERO))
                .reduce(Duration.ZERO, Duration::plus);
    }

    /** SIGKILLs the devices {@code ids}, all signals first so they die together, and waits until they are gone. */
    public void kill(List<String> ids) throws InterruptedException {
        ids.forEach(id -> processes.get(id).destroyForcibly());
        for (String id : ids) {
            processes.get(id).waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Starts a killed device again, as its gateway reboots: the same id and flags, a new process. */
    public void restart(String id) throws IOException {
        processes.put(id, DeviceProcess.start(id, flagsOf.get(id), work));
    }

    /** Sends {@code signal} (STOP, CONT) to device {@code id}'s process. */
    public void signal(String id, String signal) throws IOException, InterruptedException {
        signal(processes.get(id).pid(), signal);
    }

    /** Sends {@code signal} (STOP, CONT) to process {@code pid}, as {@code kill -SIGNAL pid} does. */
    public static void signal(long pid, String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill -" + signal + " " + pid + " failed");
        }
    }

    @Override
    public void close() throws InterruptedException {
        List<Process> all = new ArrayList<>(processes.values());
        all.forEach(Process::destroy);
        for (Process p : all) {
            // A paused process does not act on SIGTERM.
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
