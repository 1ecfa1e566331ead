package io.ftpipe.centralclient;

import com.codahale.metrics.MetricRegistry;
import io.ftpipe.broker.central.TrainingCentralNode;
import io.ftpipe.broker.JobWatchers;
import io.ftpipe.broker.coap.CoapManagementServer;
import io.ftpipe.broker.configuration.DeviceAccount;
import io.ftpipe.broker.configuration.ExtensionConfig;
import io.ftpipe.broker.dashboard.DashboardServer;
import io.ftpipe.broker.metrics.FtpipeMetrics;
import io.ftpipe.broker.security.LiveAccounts;
import io.ftpipe.centralclient.configuration.BrokerConnection;
import io.ftpipe.centralclient.dynsec.DynamicSecurity;
import io.ftpipe.centralclient.mqtt.CentralConnection;
import io.ftpipe.centralclient.mosquitto.MosquittoSys;
import io.ftpipe.centralclient.mqtt.ConnectionStats;
import io.ftpipe.protocol.RejectReason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

/**
 * The central node as a client of any MQTT v5 broker: the same {@link TrainingCentralNode} the
 * HiveMQ extension runs, with its CoAP management API, status topics and metrics, over one MQTT
 * connection of its own ({@link CentralConnection}) instead of the broker's interceptors and
 * lifecycle events. Presence comes from what devices publish: a hello, heartbeats, and the Last
 * Will the broker publishes for them (an {@code offline} heartbeat).
 *
 * <p>Two steps, so that a restarted node takes its jobs back before the broker hands it what it
 * queued for them: {@link #create}, then (after {@code node().resumeUnfinished(...)}) {@link #connect}.
 */
public final class CentralClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CentralClient.class);
    /** Mosquitto's $SYS topics are retained: they arrive at once, or not at all. */
    private static final long SYS_WAIT_MILLIS = 2_000;

    private final ExtensionConfig config;
    private final BrokerConnection connection;
    private final MetricRegistry metrics;
    private final CentralConnection mqtt;
    private final TrainingCentralNode node;
    private final CoapManagementServer coap;
    private final DashboardServer dashboard;
    /** Null unless the broker's dynamic-security plugin is driven ({@link BrokerConnection#dynamicSecurity}). */
    private final DynamicSecurity dynsec;

    private CentralClient(ExtensionConfig config, BrokerConnection connection, MetricRegistry metrics,
                          CentralConnection mqtt, TrainingCentralNode node, CoapManagementServer coap,
                          DashboardServer dashboard, DynamicSecurity dynsec) {
        this.config = config;
        this.connection = connection;
        this.metrics = metrics;
        this.mqtt = mqtt;
        this.node = node;
        this.coap = coap;
        this.dashboard = dashboard;
        this.dynsec = dynsec;
    }

    /**
     * The node and its CoAP API, not yet connected: whatever it publishes waits for {@link #connect}.
     *
     * @throws IOException if the data folder cannot be created, or the CoAP port not bound
     */
    public static CentralClient create(ExtensionConfig config, BrokerConnection connection) throws IOException {
        Files.createDirectories(config.dataDir());
        MetricRegistry metrics = new MetricRegistry();
        CentralConnection mqtt = CentralConnection.create(connection);
        TrainingCentralNode node = new TrainingCentralNode(config, mqtt, metrics);
        CoapManagementServer coap = null;
        DashboardServer dashboard = null;
        try {
            // As in the extension: the management API and the dashboard share the accounts and job watchers.
            LiveAccounts accounts = new LiveAccounts(config.security());
            JobWatchers watchers = new JobWatchers();
            node.watch(watchers);
            coap = config.coapPort() == 0 ? null : CoapManagementServer.start(config, node, accounts, watchers);
            ClientMetrics.register(metrics, mqtt::stats);
            dashboard = config.httpPort() == 0 ? null
                    : DashboardServer.start(config, node, accounts, watchers, metrics);
            DynamicSecurity dynsec = connection.dynamicSecurity()
                    ? DynamicSecurity.attach(node, mqtt, config.security().devices().stream().map(DeviceAccount::id).toList(),
                    connection.connectTimeoutSeconds() * 1000L, metrics)
                    : null;
            return new CentralClient(config, connection, metrics, mqtt, node, coap, dashboard, dynsec);
        } catch (IOException | RuntimeException e) {
            if (coap != null) {
                coap.close();
            }
            node.close();
            mqtt.close();
            throw e;
        }
    }

    /**
     * Connects to the broker, subscribes to the devices' topics and says the node is online and, once,
     * that it started: the devices then say hello to it.
     *
     * @throws IOException if the broker cannot be reached or refuses the node
     */
    public CentralClient connect() throws IOException {
        mqtt.connect(node, config.maxPayloadBytes(),
                metrics.counter(FtpipeMetrics.rejectedName(RejectReason.OVERSIZED)));
        if (dynsec != null) {
            dynsec.start();
        }
        LOG.info("ftpipe central node running as a client of {}: dataDir={}, CoAP {}", connection, config.dataDir(),
                coap == null ? "off" : config.coapBind() + ":" + config.coapPort());
        if (dashboard != null) {
            LOG.info("dashboard and /metrics on http://{}:{}/", config.httpBind(), config.httpPort());
        }
        return this;
    }

    public TrainingCentralNode node() {
        return node;
    }

    /** The node's own registry: its {@code ftpipe.*} metrics, the connection's among them. */
    public MetricRegistry metrics() {
        return metrics;
    }

    /** Every {@code ftpipe.*} metric as plain numbers. */
    public Map<String, Number> metricsSnapshot() {
        return FtpipeMetrics.snapshot(metrics);
    }

    /**
     * The broker's own counters, for reports: {@code messages} and {@code bytes} (in plus out) and
     * what else Mosquitto's {@code $SYS} topics say; empty for a broker without them.
     */
    public Map<String, Long> brokerCounters() {
        return MosquittoSys.counts(mqtt.readRetained(MosquittoSys.TOPICS, SYS_WAIT_MILLIS));
    }

    /** {@code mosquitto}, or {@code mqtt} for a broker that does not say it is. */
    public String brokerName() {
        return MosquittoSys.brokerName(mqtt.readRetained(List.of(MosquittoSys.VERSION), SYS_WAIT_MILLIS));
    }

    /** The dynamic-security plugin's commands refused or lost so far; 0 when it is not driven. */
    public long dynamicSecurityFailures() {
        return dynsec == null ? 0 : dynsec.failures();
    }

    public ConnectionStats traffic() {
        return mqtt.stats();
    }

    public boolean isConnected() {
        return mqtt.isConnected();
    }

    /** The CoAP API first (no requests for a closing node), then the node, then the connection. */
    @Override
    public void close() {
        if (dashboard != null) {
            dashboard.close();
        }
        if (coap != null) {
            try {
                coap.close();
            } catch (RuntimeException e) {
                LOG.error("closing the CoAP management API failed", e);
            }
        }
        node.close();
        mqtt.close();
    }
}
