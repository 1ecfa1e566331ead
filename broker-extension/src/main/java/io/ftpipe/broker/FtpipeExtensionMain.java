package io.ftpipe.broker;

import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.parameter.ExtensionInformation;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import io.ftpipe.broker.central.TrainingCentralNode;
import io.ftpipe.broker.coap.CoapManagementServer;
import io.ftpipe.broker.configuration.ExtensionConfig;
import io.ftpipe.broker.configuration.ExtensionConfigReader;
import io.ftpipe.broker.configuration.InvalidConfigurationException;
import io.ftpipe.broker.metrics.FtpipeMetrics;
import io.ftpipe.broker.mqtt.DeviceMessageInterceptor;
import io.ftpipe.broker.mqtt.DevicePresenceListener;
import io.ftpipe.broker.mqtt.ServicesCentralPublisher;
import io.ftpipe.broker.security.MqttSecurity;
import io.ftpipe.protocol.RejectReason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The HiveMQ entry point of the central node. It only wires: configuration → central node → CoAP
 * management API → authenticator and authorizer (when security is on) → interceptor and lifecycle
 * listener. Everything it starts is closed in
 * {@link #extensionStop}.
 *
 * <p>Two ways in:
 * <ul>
 *   <li>drop-in: HiveMQ instantiates the no-arg constructor (found through
 *       {@code META-INF/services}) and the configuration is read from
 *       {@code <extension home>/ftpipe-extension.json};</li>
 *   <li>embedded: the embedding code passes the configuration (or its file) and the factory of
 *       the real central node. An embedded extension's home folder is {@code java.io.tmpdir}, not
 *       anything the caller chose, so nothing is read from it.</li>
 * </ul>
 */
public final class FtpipeExtensionMain implements ExtensionMain {

    private static final Logger LOG = LoggerFactory.getLogger(FtpipeExtensionMain.class);

    /** How the configuration is obtained once HiveMQ tells us who we are. */
    @FunctionalInterface
    private interface ConfigSource {
        ExtensionConfig load(ExtensionInformation extension) throws InvalidConfigurationException;
    }

    private final ConfigSource configSource;
    private final CentralNodeFactory factory;
    private final AtomicReference<CentralNode> node = new AtomicReference<>();
    private final AtomicReference<CoapManagementServer> management = new AtomicReference<>();
    private final AtomicReference<String> startupFailure = new AtomicReference<>();

    /**
     * The drop-in: configuration from the extension home, the training central node (it keeps the
     * device registry; jobs are submitted through the CoAP management API).
     */
    public FtpipeExtensionMain() {
        this(extension -> new ExtensionConfigReader().readFromHome(extension.getExtensionHomeFolder().toPath()),
                (config, publisher) -> TrainingCentralNode.resumingUnfinished(config, publisher,
                        Services.metricRegistry()));
    }

    /** Embedded, with a configuration already in hand. */
    public FtpipeExtensionMain(ExtensionConfig config, CentralNodeFactory factory) {
        this(extension -> config, factory);
        Objects.requireNonNull(config, "config");
    }

    /** Embedded, reading {@code configFile} at start; a bad file prevents the start. */
    public FtpipeExtensionMain(Path configFile, CentralNodeFactory factory) {
        this(extension -> new ExtensionConfigReader().read(configFile), factory);
        Objects.requireNonNull(configFile, "configFile");
    }

    private FtpipeExtensionMain(ConfigSource configSource, CentralNodeFactory factory) {
        this.configSource = configSource;
        this.factory = Objects.requireNonNull(factory, "factory");
    }

    @Override
    public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
        startupFailure.set(null);
        ExtensionInformation extension = input.getExtensionInformation();
        ExtensionConfig config;
        try {
            config = configSource.load(extension);
            createDataDir(config.dataDir());
        } catch (InvalidConfigurationException e) {
            prevent(output, e.getMessage());
            return;
        }
        CentralNode central;
        try {
            central = factory.create(config, new ServicesCentralPublisher(Services::publishService));
        } catch (Exception e) {
            LOG.error("the ftpipe central node could not be created", e);
            prevent(output, "the central node could not be created: " + e);
            return;
        }
        CoapManagementServer coap;
        try {
            coap = startManagement(config, central);
        } catch (IOException e) {
            closeQuietly(central);
            prevent(output, e.getMessage());
            return;
        }
        // Registered last, after everything that can be refused: a prevented start leaves nothing
        // behind. One interceptor and one listener serve all clients (no per-client state).
        try {
            MqttSecurity.register(Services.securityRegistry(), config.security(), central.assignments());
            DeviceMessageInterceptor interceptor = new DeviceMessageInterceptor(central, config.maxPayloadBytes(),
                    Services.metricRegistry().counter(FtpipeMetrics.rejectedName(RejectReason.OVERSIZED)));
            Services.initializerRegistry().setClientInitializer(
                    (initializerInput, clientContext) -> clientContext.addPublishInboundInterceptor(interceptor));
            DevicePresenceListener presence = new DevicePresenceListener(central);
            Services.eventRegistry().setClientLifecycleEventListener(providerInput -> presence);
        } catch (RuntimeException e) {
            closeQuietly(coap);
            closeQuietly(central);
            LOG.error("registering with HiveMQ failed", e);
            prevent(output, "registering with HiveMQ failed: " + e);
            return;
        }
        node.set(central);
        management.set(coap);

        LOG.info("{} {} started: dataDir={}, datasetDir={}, heartbeatTimeoutMillis={}, security={}", extension.getName(),
                extension.getVersion(), config.dataDir(), config.datasetDir(), config.heartbeatTimeoutMillis(),
                config.security().enabled() ? "on (" + config.security().devices().size() + " devices, "
                        + config.security().clients().size() + " clients)" : "off");
    }

    @Override
    public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {
        // HiveMQ removes the initializer, interceptors and listener itself; the rest is ours. The
        // API goes first: it must not take requests for a node that is closing.
        closeQuietly(management.getAndSet(null));
        CentralNode central = node.getAndSet(null);
        if (central != null) {
            closeQuietly(central);
        }
    }

    /**
     * The CoAP management API, unless {@code coapPort} is 0 or the node runs no jobs (the logging
     * node of plain broker tests).
     */
    private static CoapManagementServer startManagement(ExtensionConfig config, CentralNode central)
            throws IOException {
        if (config.coapPort() == 0 || !(central instanceof TrainingCentralNode training)) {
            return null;
        }
        return CoapManagementServer.start(config, training);
    }

    private static void closeQuietly(CoapManagementServer coap) {
        if (coap == null) {
            return;
        }
        try {
            coap.close();
        } catch (RuntimeException e) {
            LOG.error("closing the CoAP management API failed", e);
        }
    }

    /** The CoAP management API, while the extension runs with it on. */
    public Optional<CoapManagementServer> management() {
        return Optional.ofNullable(management.get());
    }

    private static void closeQuietly(CentralNode central) {
        try {
            central.close();
        } catch (Exception e) {
            LOG.error("closing the ftpipe central node failed", e);
        }
    }

    /**
     * Why the last start was refused, if it was. HiveMQ only logs the reason and keeps running
     * without the extension; embedding code uses this to fail loudly instead.
     */
    public Optional<String> startupFailure() {
        return Optional.ofNullable(startupFailure.get());
    }

    /** True between a successful start and the stop. */
    public boolean isRunning() {
        return node.get() != null;
    }

    private void prevent(ExtensionStartOutput output, String reason) {
        startupFailure.set(reason);
        LOG.error("ftpipe extension not started: {}", reason);
        output.preventExtensionStartup(reason);
    }

    /** Created at start so an unwritable dataDir is a startup error, not a failure mid-training. */
    private static void createDataDir(Path dataDir) throws InvalidConfigurationException {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new InvalidConfigurationException(ExtensionConfig.DATA_DIR + " " + dataDir
                    + " cannot be created: " + e, e);
        }
        if (!Files.isWritable(dataDir)) {
            throw new InvalidConfigurationException(ExtensionConfig.DATA_DIR + " " + dataDir + " is not writable");
        }
    }
}
