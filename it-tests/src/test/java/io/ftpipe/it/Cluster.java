package io.ftpipe.it;

import io.ftpipe.broker.central.JobListener;
import io.ftpipe.broker.central.JobReport;
import io.ftpipe.broker.central.JobSpec;
import io.ftpipe.broker.central.TrainingCentralNode;
import io.ftpipe.broker.embedded.EmbeddedBroker;
import io.ftpipe.broker.embedded.FreePort;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import static org.awaitility.Awaitility.await;

/** A real HiveMQ broker with the extension (the central node) and device clients in their own JVMs. */
final class Cluster implements AutoCloseable {
    final EmbeddedBroker broker;
    final Path work;
    private final AtomicReference<TrainingCentralNode> central = new AtomicReference<>();
    private final DeviceFleet devices;

    Cluster(Path work) throws Exception {
        this(work, 0);
    }

    /** @param coapPort the CoAP management API's UDP port on loopback; 0 for none */
    Cluster(Path work, int coapPort) throws Exception {
        this(work, b -> b.coapPort(coapPort));
    }

    /** A broker the caller configures further (its extension configuration, a TLS listener). */
    Cluster(Path work, UnaryOperator<EmbeddedBroker.Builder> configure) throws Exception {
        this.work = work;
        this.devices = new DeviceFleet(work.resolve("devices"));
        this.broker = configure.apply(EmbeddedBroker.builder(work.resolve("broker")).port(FreePort.find())
                .centralNodeFactory(TrainingCentralNode.factory(central::set))).build().start();
    }

    TrainingCentralNode central() {
        return central.get();
    }

    /** Starts device JVMs and waits until the central node sees them alive. */
    List<String> startDevices(String prefix, int n, String... flags) throws Exception {
        List<String> ids = launchDevices(broker.serverUri(), prefix, n, flags);
        await().atMost(Duration.ofSeconds(60)).until(() -> central().registry().alive(5000).containsAll(ids));
        return ids;
    }

    /**
     * Starts device JVMs with flags of their own ({@code flagsOf(id)}, e.g. credentials and the
     * broker URL) and waits until the central node sees them alive.
     */
    List<String> startDevices(List<String> ids, Function<String, Map<String, String>> flagsOf) throws Exception {
        for (String id : ids) {
            devices.launch(id, flagsOf.apply(id), UnaryOperator.identity());
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> central().registry().alive(5000).containsAll(ids));
        return ids;
    }

    /** Starts device JVMs that join the broker at {@code brokerUri}, which need not be this cluster's. */
    List<String> launchDevices(String brokerUri, String prefix, int n, String... flags) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = prefix + i;
            Map<String, String> f = new LinkedHashMap<>(Map.of("--broker-url", brokerUri));
            for (int k = 0; k + 1 < flags.length; k += 2) {
                f.put(flags[k], flags[k + 1]);
            }
            devices.launch(id, f, UnaryOperator.identity());
            ids.add(id);
        }
        return ids;
    }

    /**
     * Starts a device JVM on each host of {@code testbed} (in its namespace and CPU group), joined to
     * this cluster's broker, which must listen on the testbed's broker address; waits until they are alive.
     */
    List<String> startDevicesOn(io.ftpipe.cli.testbed.Testbed testbed, String prefix) throws Exception {
        List<String> ids = new ArrayList<>();
        String uri = "tcp://" + testbed.brokerAddress() + ":" + broker.port();
        for (int h = 0; h < testbed.size(); h++) {
            int host = h;
            String id = prefix + h;
            devices.launch(id, Map.of("--broker-url", uri), command -> testbed.onHost(host, command));
            ids.add(id);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> central().registry().alive(5000).containsAll(ids));
        return ids;
    }

    /** The process id of device {@code id}'s JVM. */
    long pid(String id) {
        return devices.pid(id);
    }

    /** Sends {@code signal} (STOP, CONT, ...) to device {@code id}'s JVM. */
    void signal(String signal, String id) {
        try {
            io.ftpipe.cli.bench.BenchDevices.signal(pid(id), signal);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("could not send SIG" + signal + " to " + id, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted sending SIG" + signal + " to " + id, e);
        }
    }

    /** SIGKILLs the device JVMs {@code ids} at once, and waits until they are gone. */
    void kill(String... ids) throws InterruptedException {
        devices.kill(ids);
    }

    /** Is the JVM of device {@code id}, started by this cluster, still running? */
    boolean running(String id) {
        return devices.running(id);
    }

    /** Kills every device this cluster started. */
    void killAll() throws InterruptedException {
        devices.killAll();
    }

    JobReport run(JobSpec spec, JobListener listener) throws Exception {
        return central().submit(spec, listener).get(15, TimeUnit.MINUTES);
    }

    JobReport run(JobSpec spec) throws Exception {
        return run(spec, JobListener.NONE);
    }

    @Override
    public void close() throws Exception {
        devices.close();
        broker.close();
    }
}
