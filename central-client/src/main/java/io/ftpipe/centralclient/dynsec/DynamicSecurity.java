package io.ftpipe.centralclient.dynsec;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ftpipe.broker.central.AssignedStages;
import io.ftpipe.broker.central.DeviceRegistry;
import io.ftpipe.broker.central.TrainingCentralNode;
import io.ftpipe.broker.metrics.FtpipeMetrics;
import io.ftpipe.centralclient.mqtt.CentralConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A client-mode central node's hand on Mosquitto's dynamic-security plugin: whenever the stage
 * assignments change (a term starts, a job ends), it sends the plugin the commands that bring each
 * device's role to the topics of the stages it now runs ({@link DeviceAcls}, {@link DynsecCommands#diff}),
 * as the node's own user, the plugin's administrator. The commands leave before the devices are
 * told of their new stages, on the same connection, and the broker handles one client's messages
 * in order, so a device never receives its assignment before its permissions.
 *
 * <p>The plugin disconnects a client whenever its permissions change, and the device reconnects to
 * its kept session and says hello, which would look like a restart: the registry is told to expect
 * that hello ({@link DeviceRegistry#expectReconnect}). For the same reason a stage a device loses
 * is taken away at once rather than after the extension's grace period: a later removal would cost
 * a second disconnect mid-term, whereas Mosquitto only answers a refused publish with reason code
 * 0x87 (the device's late messages of the old term, which their receivers would drop anyway).
 *
 * <p>A command the plugin refuses is logged and counted ({@value #FAILURES}); training goes on.
 */
public final class DynamicSecurity {
    private static final Logger LOG = LoggerFactory.getLogger(DynamicSecurity.class);
    /** Commands sent to the plugin. */
    public static final String COMMANDS = FtpipeMetrics.PREFIX + "client.dynsec.commands";
    /** Commands the plugin refused, or that did not reach it. */
    public static final String FAILURES = FtpipeMetrics.PREFIX + "client.dynsec.failures";
    /** Longer than a disconnected device takes to reconnect and say hello (it retries within a second). */
    static final long RECONNECT_WINDOW_MILLIS = 30_000;
    /** Marks the {@code getRole} questions of {@link #start}; the device id follows. */
    private static final String ASKED = "ftpipe-start:";

    private final CentralConnection mqtt;
    private final List<String> devices;
    private final AssignedStages assignments;
    private final DeviceRegistry registry;
    private final long timeoutMillis;
    private final Counter commands;
    private final Counter failures;
    /** Each device's role as the plugin holds it when the node starts; devices without one are absent. */
    private final CompletableFuture<Map<String, SortedSet<DynsecAcl>>> found = new CompletableFuture<>();
    private volatile boolean started;
    /** What the plugin holds now, as far as this node knows; null until {@link #found}. Guarded by this. */
    private Map<String, SortedSet<DynsecAcl>> applied;

    private DynamicSecurity(CentralConnection mqtt, List<String> devices, AssignedStages assignments,
                            DeviceRegistry registry, long timeoutMillis, MetricRegistry metrics) {
        this.mqtt = mqtt;
        this.devices = List.copyOf(devices);
        this.assignments = assignments;
        this.registry = registry;
        this.timeoutMillis = timeoutMillis;
        this.commands = metrics.counter(COMMANDS);
        this.failures = metrics.counter(FAILURES);
    }

    /**
     * Follows {@code node}'s stage assignments from now on; nothing is sent before {@link #start}.
     *
     * @param devices       the device accounts: each has a role {@link DeviceAcls#role} in the plugin
     * @param timeoutMillis how long to wait for the plugin's answers
     */
    public static DynamicSecurity attach(TrainingCentralNode node, CentralConnection mqtt, List<String> devices,
                                         long timeoutMillis, MetricRegistry metrics) {
        DynamicSecurity d = new DynamicSecurity(mqtt, devices, node.assignments(), node.registry(), timeoutMillis,
                metrics);
        node.whenAssignmentsChange(d::sync);
        return d;
    }

    /**
     * Once connected: reads every device's role from the plugin (a restarted node finds what its
     * predecessor left), then brings them to the current assignments.
     *
     * @throws IOException if the plugin does not answer or the broker refuses the node's commands:
     *                     the broker does not load the plugin, or the node's user is not its admin
     */
    public void start() throws IOException {
        mqtt.subscribeService(DynsecCommands.RESPONSE_TOPIC, (topic, payload) -> onResponse(payload));
        started = true;
        List<ObjectNode> asks = devices.stream().map(d -> DynsecCommands.getRole(DeviceAcls.role(d), ASKED + d))
                .toList();
        try {
            mqtt.publish(DynsecCommands.TOPIC, DynsecCommands.message(asks), 1, false).get(timeoutMillis,
                    TimeUnit.MILLISECONDS);
            found.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IOException("cannot command the dynamic-security plugin (" + e.getCause().getMessage() + "): "
                    + "the central node's user must be the plugin's admin (ftpipe mosquitto-config --dynamic-security)",
                    e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("the dynamic-security plugin did not answer on " + DynsecCommands.RESPONSE_TOPIC
                    + " within " + timeoutMillis + " ms: does mosquitto.conf load it (plugin, plugin_opt_config_file)?",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading the dynamic-security plugin's roles", e);
        }
        sync();
    }

    /** Commands refused or lost so far. */
    public long failures() {
        return failures.getCount();
    }

    /**
     * Brings the plugin to the current assignments. In the writer's thread, before the devices are
     * told (StageAssignments#listen); before {@link #start} it does nothing, since start syncs.
     */
    synchronized void sync() {
        if (!started) {
            return;
        }
        List<ObjectNode> out = new ArrayList<>();
        if (applied == null) {
            Map<String, SortedSet<DynsecAcl>> roles;
            try {
                roles = found.get(timeoutMillis, TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                failures.inc();
                LOG.error("dynamic security: the devices' roles are unknown ({}); the broker keeps what it had",
                        e.toString());
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            applied = new TreeMap<>(roles);
            for (String d : devices) {
                if (!applied.containsKey(d)) {
                    // A device account added after mosquitto-config wrote the plugin's file.
                    out.add(DynsecCommands.createRole(DeviceAcls.role(d)));
                    out.add(DynsecCommands.addClientRole(d, DeviceAcls.role(d)));
                    applied.put(d, new TreeSet<>());
                }
            }
        }
        Map<String, SortedSet<DynsecAcl>> next = DeviceAcls.of(devices, assignments::of);
        out.addAll(DynsecCommands.diff(applied, next));
        if (out.isEmpty()) {
            return;
        }
        SortedSet<String> changed = DynsecCommands.changed(applied, next);
        for (String d : changed) {
            if (registry.get(d).map(DeviceRegistry.Device::connected).orElse(false)) {
                registry.expectReconnect(d, RECONNECT_WINDOW_MILLIS);
            }
        }
        int n = out.size();
        commands.inc(n);
        mqtt.publish(DynsecCommands.TOPIC, DynsecCommands.message(out), 1, false).whenComplete((ok, e) -> {
            if (e != null) {
                failures.inc(n);
                LOG.error("dynamic security: {} commands for {} did not reach the plugin: {}", n, changed, e.toString());
            }
        });
        applied = new TreeMap<>(next);
        LOG.info("dynamic security: {} commands narrow {} to their stages", n, changed);
    }

    private void onResponse(byte[] payload) {
        List<DynsecResponses.Response> responses;
        try {
            responses = DynsecResponses.parse(payload);
        } catch (IllegalArgumentException e) {
            failures.inc();
            LOG.error("dynamic security: {}", e.getMessage());
            return;
        }
        if (!found.isDone() && responses.stream().anyMatch(DynamicSecurity::asked)) {
            Map<String, SortedSet<DynsecAcl>> roles = new TreeMap<>();
            for (DynsecResponses.Response r : responses) {
                if (asked(r) && !r.failed()) {
                    roles.put(r.correlation().substring(ASKED.length()), DynsecResponses.roleAcls(r));
                } else if (asked(r)) {
                    LOG.warn("dynamic security: no role {} ({}): creating it",
                            DeviceAcls.role(r.correlation().substring(ASKED.length())), r.error());
                }
            }
            found.complete(roles);
            return;
        }
        for (DynsecResponses.Response r : responses) {
            if (r.failed()) {
                failures.inc();
                LOG.error("dynamic security: the plugin refused {}{}: {}", r.command(),
                        r.correlation() == null ? "" : " (" + r.correlation() + ")", r.error());
            }
        }
    }

    private static boolean asked(DynsecResponses.Response r) {
        return "getRole".equals(r.command()) && r.correlation() != null && r.correlation().startsWith(ASKED);
    }
}
