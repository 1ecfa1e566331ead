package io.ftpipe.it;

import io.ftpipe.device.DeviceProcess;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Device clients in JVMs of their own, joined to whatever broker their flags name; {@link Cluster}
 * keeps its devices in one, and tests whose central node is not inside HiveMQ use one directly.
 * Logs go to {@code work/<id>.log}.
 */
final class DeviceFleet implements AutoCloseable {
    private final Path work;
    private final Function<String, Map<String, String>> flagsOf;
    private final Map<String, Process> devices = new LinkedHashMap<>();

    /** @param flagsOf a device's flags besides its id (the broker URL, its credentials) */
    DeviceFleet(Path work, Function<String, Map<String, String>> flagsOf) {
        this.work = work;
        this.flagsOf = flagsOf;
    }

    /** Devices whose flags each launch names. */
    DeviceFleet(Path work) {
        this(work, id -> Map.of());
    }

    List<String> start(String prefix, int n) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = prefix + i;
            launch(id, Map.of(), UnaryOperator.identity());
            ids.add(id);
        }
        return ids;
    }

    /**
     * Starts device {@code id} with {@code flags} besides the fleet's, its command passed through
     * {@code launcher} (e.g. into a testbed host's namespace).
     */
    void launch(String id, Map<String, String> flags, UnaryOperator<List<String>> launcher) throws Exception {
        // Heartbeats often enough that a test's failure detection takes a second, not five.
        Map<String, String> f = new LinkedHashMap<>(Map.of("--heartbeat-millis", "300"));
        f.putAll(flagsOf.apply(id));
        f.putAll(flags);
        devices.put(id, DeviceProcess.start(id, f, work, launcher));
    }

    /** The process id of device {@code id}'s JVM. */
    long pid(String id) {
        return devices.get(id).pid();
    }

    /** SIGKILLs the devices {@code ids} at once and waits until they are gone. */
    void kill(String... ids) throws InterruptedException {
        List<Process> dying = new ArrayList<>();
        for (String id : ids) {
            Process p = devices.remove(id);
            p.destroyForcibly();
            dying.add(p);
        }
        for (Process p : dying) {
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Is the JVM of device {@code id}, started by this fleet, still running? */
    boolean running(String id) {
        Process p = devices.get(id);
        return p != null && p.isAlive();
    }

    void killAll() throws InterruptedException {
        kill(devices.keySet().toArray(String[]::new));
    }

    @Override
    public void close() throws InterruptedException {
        killAll();
    }
}
