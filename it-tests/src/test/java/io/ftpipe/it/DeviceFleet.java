package io.ftpipe.it;

import io.ftpipe.device.DeviceProcess;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Device clients in JVMs of their own, joined to whatever broker their flags name, for tests whose
 * central node is not inside HiveMQ ({@link Cluster} is for those that are). Logs go to
 * {@code work/<id>.log}.
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

    List<String> start(String prefix, int n) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = prefix + i;
            Map<String, String> flags = new LinkedHashMap<>(Map.of("--heartbeat-millis", "300"));
            flags.putAll(flagsOf.apply(id));
            devices.put(id, DeviceProcess.start(id, flags, work));
            ids.add(id);
        }
        return ids;
    }

    /** SIGKILLs the devices {@code ids} and waits until they are gone. */
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
