package io.ftpipe.cli.bench;

import io.ftpipe.broker.central.TrainingCentralNode;
import io.ftpipe.broker.embedded.EmbeddedBroker;
import io.ftpipe.broker.embedded.FreePort;
import io.ftpipe.device.DeviceProcess;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;

/**
 * A benchmark run's own world: a fresh embedded broker with the central node, and device JVMs that
 * have joined it. Fresh per run, so nothing of one run (a slowed or surviving device) leaks into
 * the next.
 */
public final class BenchCluster implements AutoCloseable {
    private final EmbeddedBroker broker;
    private final TrainingCentralNode central;
    private final Path devicesWork;
    private final Map<String, Process> devices = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> flagsOf = new HashMap<>();

    private BenchCluster(EmbeddedBroker broker, TrainingCentralNode central, Path devicesWork) {
        this.broker = broker;
        this.central = central;
        this.devicesWork = devicesWork;
    }

    /**
     * @param devices each device's id and its flags, in order; {@code --broker-url} is the broker's
     *                unless given (a relay in front of it, say)
     */
    public static BenchCluster start(Path work, Map<String, Map<String, String>> devices) throws Exception {
        return start(work, devices, "127.0.0.1", i -> UnaryOperator.identity());
    }

    /**
     * @param bind      where the broker listens (the devices' side of a testbed, say)
     * @param launchers how device {@code i}'s JVM is started (e.g. on a testbed host)
     */
    public static BenchCluster start(Path work, Map<String, Map<String, String>> devices, String bind,
                                     IntFunction<UnaryOperator<List<String>>> launchers) throws Exception {
        return start(work, FreePort.find(), devices, bind, launchers);
    }

    /** With the broker on {@code port}, which relays in front of it can be told before it starts. */
    public static BenchCluster start(Path work, int port, Map<String, Map<String, String>> devices) throws Exception {
        return start(work, port, devices, "127.0.0.1", i -> UnaryOperator.identity());
    }

    private static BenchCluster start(Path work, int port, Map<String, Map<String, String>> devices, String bind,
                                      IntFunction<UnaryOperator<List<String>>> launchers) throws Exception {
        AtomicReference<TrainingCentralNode> central = new AtomicReference<>();
        EmbeddedBroker broker = EmbeddedBroker.builder(work.resolve("broker")).port(port).bindAddress(bind)
                .centralNodeFactory(TrainingCentralNode.factory(central::set)).build().start();
        BenchCluster cluster = new BenchCluster(broker, central.get(), work.resolve("devices"));
        try {
            int i = 0;
            for (Map.Entry<String, Map<String, String>> d : devices.entrySet()) {
                Map<String, String> flags = new HashMap<>(d.getValue());
                flags.putIfAbsent("--broker-url", broker.serverUri());
                cluster.flagsOf.put(d.getKey(), flags);
                cluster.devices.put(d.getKey(), DeviceProcess.start(d.getKey(), flags, cluster.devicesWork,
                        launchers.apply(i++)));
            }
            DevicesJoined.await(cluster.central, cluster.ids());
            return cluster;
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
    }

    public TrainingCentralNode central() {
        return central;
    }

    public List<String> ids() {
        return List.copyOf(devices.keySet());
    }

    /** CPU time the device JVMs have spent so far, summed (zero for one whose time the OS does not tell). */
    public java.time.Duration devicesCpu() {
        return devices.values().stream().map(p -> p.info().totalCpuDuration().orElse(java.time.Duration.ZERO))
                .reduce(java.time.Duration.ZERO, java.time.Duration::plus);
    }

    /** SIGKILLs the devices {@code ids}, all signals first so they die together, and waits until they are gone. */
    public void kill(List<String> ids) throws InterruptedException {
        ids.forEach(id -> devices.get(id).destroyForcibly());
        for (String id : ids) {
            devices.get(id).waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Starts a killed device again, as its gateway reboots: the same id and flags, a new process. */
    public void restart(String id) throws java.io.IOException {
        devices.put(id, DeviceProcess.start(id, flagsOf.get(id), devicesWork));
    }

    /** Sends {@code signal} (STOP, CONT) to device {@code id}'s process. */
    public void signal(String id, String signal) throws java.io.IOException, InterruptedException {
        signal(devices.get(id).pid(), signal);
    }

    /** Sends {@code signal} (STOP, CONT) to process {@code pid}, as {@code kill -SIGNAL pid} does. */
    public static void signal(long pid, String signal) throws java.io.IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new java.io.IOException("kill -" + signal + " " + pid + " failed");
        }
    }

    @Override
    public void close() throws Exception {
        List<Process> all = new ArrayList<>(devices.values());
        all.forEach(Process::destroy);
        for (Process p : all) {
            // A paused process does not act on SIGTERM.
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        broker.close();
    }
}
