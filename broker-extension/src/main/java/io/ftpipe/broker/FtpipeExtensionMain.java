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
import io.ftpipe.broker.dashboard.DashboardServer;
import io.ftpipe.broker.security.AccountsReload;
import io.ftpipe.broker.security.ConfigFileWatcher;
import io.ftpipe.broker.security.InsecureExposure;
import io.ftpipe.broker.security.LiveAccounts;
import io.ftpipe.broker.security.MqttSecurity;
import io.ftpipe.protocol.RejectReason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The HiveMQ entry point of the central node. It only wires: configuration → central node → CoAP
 * management API and dashboard → authenticator and authorizer (when security is on) → interceptor
 * and lifecycle listener → the watch that reloads the accounts. Everything it starts is closed in
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

        /** The file the configuration came from, watched for changes of the accounts; none when given in code. */
        default Optional<Path> file(ExtensionInformation extension) {
            return Optional.empty();
        }
    }

    /** A configuration read from a file, read again when its accounts change. */
    private record FileSource(java.util.function.Function<ExtensionInformation, Path> locate,
                              ConfigReading reading) implements ConfigSource {
        @Override
        public ExtensionConfig load(ExtensionInformation extension) throws InvalidConfigurationException {
            return reading.read(locate.apply(extension));
        }

        @Override
        public Optional<Path> file(ExtensionInformation extension) {
            Path file = locate.apply(extension);
            return Files.exists(file) ? Optional.of(file) : Optional.empty();
        }
    }

    @FunctionalInterface
    private interface ConfigReading {
        ExtensionConfig read(Path file) throws InvalidConfigurationException;
    }

    private final ConfigSource configSource;
    private final CentralNodeFactory factory;
    private final AtomicReference<CentralNode> node = new AtomicReference<>();
    private final AtomicReference<CoapManagementServer> management = new AtomicReference<>();
    private final AtomicReference<DashboardServer> dashboard = new AtomicReference<>();
    /** What this start opened (APIs, the watch of the accounts file), closed in reverse order at stop. */
    private final AtomicReference<List<AutoCloseable>> running = new AtomicReference<>(List.of());
    private final AtomicReference<String> startupFailure = new AtomicReference<>();

    /**
     * The drop-in: configuration from the extension home, the training central node (it keeps the
     * device registry; jobs are submitted through the CoAP management API).
     */
    public FtpipeExtensionMain() {
        this(new FileSource(extension -> extension.getExtensionHomeFolder().toPath()
                        .resolve(ExtensionConfigReader.FILE_NAME),
                        file -> new ExtensionConfigReader().readFromHome(file.getParent())),
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
        this(new FileSource(extension -> configFile, file -> new ExtensionConfigReader().read(file)), factory);
        Objects.requireNonNull(configFile, "configFile");
    }

    /**
     * Embedded, reading {@code configFile} at start with a relative {@code dataDir} under
     * {@code stateDir} ({@code ftpipe broker}); its accounts reload when it changes.
     */
    public FtpipeExtensionMain(Path configFile, Path stateDir, CentralNodeFactory factory) {
        this(new FileSource(extension -> configFile, file -> new ExtensionConfigReader().read(file, stateDir)),
                factory);
        Objects.requireNonNull(configFile, "configFile");
        Objects.requireNonNull(stateDir, "stateDir");
    }

    private FtpipeExtensionMain(ConfigSource configSource, CentralNodeFactory factory) {
        this.configSource = configSource;
        this.factory = Objects.requireNonNull(factory, "factory");
    }

    @Override
    public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
        startupFailure.set(null);
        management.set(null);
        dashboard.set(null);
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
        LiveAccounts accounts = new LiveAccounts(config.security());
        JobWatchers watchers = new JobWatchers();
        if (central instanceof TrainingCentralNode training) {
            training.watch(watchers);
        }
        List<AutoCloseable> started = new ArrayList<>();
        try {
            startManagement(config, central, accounts, watchers).ifPresent(started::add);
            startDashboard(config, central, accounts, watchers).ifPresent(started::add);
        } catch (IOException e) {
            closeAll(started);
            closeQuietly(central);
            prevent(output, e.getMessage());
            return;
        }
        // Registered last, after everything that can be refused: a prevented start leaves nothing
        // behind. One interceptor and one listener serve all clients (no per-client state).
        try {
            MqttSecurity mqtt = MqttSecurity.register(Services.securityRegistry(), Services.clientService(), accounts,
                    central.assignments());
            DeviceMessageInterceptor interceptor = new DeviceMessageInterceptor(central, config.maxPayloadBytes(),
                    Services.metricRegistry().counter(FtpipeMetrics.rejectedName(RejectReason.OVERSIZED)));
            Services.initializerRegistry().setClientInitializer(
                    (initializerInput, clientContext) -> clientContext.addPublishInboundInterceptor(interceptor));
            DevicePresenceListener presence = new DevicePresenceListener(central);
            Services.eventRegistry().setClientLifecycleEventListener(providerInput -> presence);
            watchAccounts(extension, config, accounts, mqtt).ifPresent(started::add);
        } catch (IOException | RuntimeException e) {
            closeAll(started);
            closeQuietly(central);
            LOG.error("registering with HiveMQ failed", e);
            prevent(output, "registering with HiveMQ failed: " + e);
            return;
        }
        node.set(central);
        running.set(List.copyOf(started));
        warnIfExposed(config, input);

        LOG.info("{} {} started: dataDir={}, datasetDir={}, heartbeatTimeoutMillis={}, security={}", extension.getName(),
                extension.getVersion(), config.dataDir(), config.datasetDir(), config.heartbeatTimeoutMillis(),
                config.security().enabled() ? "on (" + config.security().devices().size() + " devices, "
                        + config.security().clients().size() + " clients)" : "off");
    }

    @Override
    public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {
        // HiveMQ removes the initializer, interceptors and listener itself; the rest is ours. The
        // APIs go first: they must not take requests for a node that is closing.
        closeAll(running.getAndSet(List.of()));
        CentralNode central = node.getAndSet(null);
        if (central != null) {
            closeQuietly(central);
        }
    }

    /**
     * With security off, says at every start which listeners let anyone on the network in (in a
     * drop-in, HiveMQ's shipped {@code config.xml} binds MQTT to all interfaces).
     */
    private static void warnIfExposed(ExtensionConfig config, ExtensionStartInput input) {
        List<InsecureExposure.Listener> mqtt = new ArrayList<>();
        try {
            input.getServerInformation().getListener().forEach(l -> mqtt.add(new InsecureExposure.Listener(
                    "MQTT (" + l.getName() + ")", l.getBindAddress(), l.getPort())));
        } catch (RuntimeException e) {
            LOG.debug("HiveMQ did not list its listeners: {}", e.toString());
        }
        List<InsecureExposure.Listener> exposed = InsecureExposure.exposed(config, mqtt);
        if (!exposed.isEmpty()) {
            LOG.warn(InsecureExposure.describe(exposed));
        }
    }

    /** Reloads the accounts when the configuration file changes, if security is on and there is a file. */
    private Optional<AutoCloseable> watchAccounts(ExtensionInformation extension, ExtensionConfig config,
                                                  LiveAccounts accounts, MqttSecurity mqtt) throws IOException {
        Optional<Path> file = configSource.file(extension);
        if (!accounts.enabled() || file.isEmpty()) {
            return Optional.empty();
        }
        AccountsReload reload = new AccountsReload(() -> configSource.load(extension), config, accounts,
                mqtt::disconnect);
        return Optional.of(ConfigFileWatcher.start(file.get(), reload::reload));
    }

    /**
     * The CoAP management API, unless {@code coapPort} is 0 or the node runs no jobs (the logging
     * node of plain broker tests).
     */
    private Optional<AutoCloseable> startManagement(ExtensionConfig config, CentralNode central, LiveAccounts accounts,
                                                    JobWatchers watchers) throws IOException {
        if (config.coapPort() == 0 || !(central instanceof TrainingCentralNode training)) {
            return Optional.empty();
        }
        CoapManagementServer coap = CoapManagementServer.start(config, training, accounts, watchers);
        management.set(coap);
        return Optional.of(coap);
    }

    /** The dashboard and {@code /metrics}, unless {@code httpPort} is 0 or the node runs no jobs. */
    private Optional<AutoCloseable> startDashboard(ExtensionConfig config, CentralNode central, LiveAccounts accounts,
                                                   JobWatchers watchers) throws IOException {
        if (config.httpPort() == 0 || !(central instanceof TrainingCentralNode training)) {
            return Optional.empty();
        }
        DashboardServer web = DashboardServer.start(config, training, accounts, watchers, Services.metricRegistry());
        dashboard.set(web);
        return Optional.of(web);
    }

    private static void closeAll(List<AutoCloseable> started) {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                LOG.error("closing " + started.get(i) + " failed", e);
            }
        }
    }

    /** The CoAP management API, while the extension runs with it on. */
    public Optional<CoapManagementServer> management() {
        return isRunning() ? Optional.ofNullable(management.get()) : Optional.empty();
    }

    /** The dashboard and {@code /metrics}, while the extension runs with them on. */
    public Optional<DashboardServer> dashboard() {
        return isRunning() ? Optional.ofNullable(dashboard.get()) : Optional.empty();
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
