package io.ftpipe.cli.bench;

import io.ftpipe.broker.central.TrainingCentralNode;
import io.ftpipe.broker.embedded.EmbeddedBroker;
import io.ftpipe.broker.embedded.FreePort;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    private final BenchDevices devices;

    private BenchCluster(EmbeddedBroker broker, TrainingCentralNode central, BenchDevices devices) {
        this.broker = broker;
        this.central = central;
        this.devices = devices;
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
        BenchCluster cluster = new BenchCluster(broker, central.get(), new BenchDevices(work.resolve("devices")));
        try {
            int i = 0;
            for (Map.Entry<String, Map<String, String>> d : devices.entrySet()) {
                Map<String, String> flags = new HashMap<>(d.getValue());
                flags.putIfAbsent("--broker-url", broker.serverUri());
                cluster.devices.start(d.getKey(), flags, launchers.apply(i++));
            }
            DevicesJoined.await(cluster.central, cluster.devices.ids());
            return cluster;
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
    }

    public TrainingCentralNode central() {
        return central;
    }

    public BenchDevices devices() {
        return devices;
    }

    @Override
    public void close() throws Exception {
        devices.close();
        broker.close();
    }
}
