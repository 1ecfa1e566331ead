package io.ftpipe.broker.embedded;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.embedded.EmbeddedHiveMQBuilder;
import io.ftpipe.broker.CentralNodeFactory;
import io.ftpipe.broker.ExtensionInfo;
import io.ftpipe.broker.FtpipeExtensionMain;
import io.ftpipe.broker.configuration.ExtensionConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * HiveMQ CE in this JVM with the ftpipe extension loaded as an embedded extension: the central
 * node for {@code ftpipe broker}, demos and tests.
 *
 * <p>Everything lives under one work folder: {@code conf/config.xml} (the shipped configuration
 * with this broker's port and bind address), {@code data/} (created before start, which HiveMQ
 * requires) and {@code extensions/} (empty unless drop-ins are wanted). Start and stop take
 * seconds: tests should share one broker per class. HiveMQ's extension services are static, so
 * run one broker per JVM at a time.
 */
public final class EmbeddedBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);

    private final Builder settings;
    private final FtpipeExtensionMain extension;
    private EmbeddedHiveMQ hivemq;

    private EmbeddedBroker(Builder settings) {
        this.settings = settings;
        if (!settings.embedExtension) {
            this.extension = null;
        } else if (settings.extensionConfigFile != null && settings.stateDir != null) {
            this.extension = new FtpipeExtensionMain(settings.extensionConfigFile, settings.stateDir, settings.factory);
        } else if (settings.extensionConfigFile != null) {
            this.extension = new FtpipeExtensionMain(settings.extensionConfigFile, settings.factory);
        } else {
            // Not <workDir>/data by default: that is HiveMQ's own persistence. CoAP off by default:
            // tests, demos and benchmarks run side by side and would all want UDP 5683.
            Path work = settings.workDir.toAbsolutePath();
            ExtensionConfig config = settings.extensionConfig != null ? settings.extensionConfig
                    : ExtensionConfig.defaults(work).withDataDir(work.resolve("central")).withCoap(settings.coapPort,
                    ExtensionConfig.DEFAULT_COAP_BIND);
            this.extension = new FtpipeExtensionMain(config, settings.factory);
        }
    }

    /** @param workDir the folder for {@code conf/}, {@code data/} and {@code extensions/} */
    public static Builder builder(Path workDir) {
        return new Builder(workDir);
    }

    /**
     * Starts the broker and waits for it.
     *
     * @throws IllegalStateException when the broker or the ftpipe extension did not start (the
     *                               broker is then stopped again: a broker without its central
     *                               node would accept devices and never answer them)
     */
    public synchronized EmbeddedBroker start() throws IOException, InterruptedException, TimeoutException {
        if (hivemq != null) {
            throw new IllegalStateException("already started");
        }
        Path work = settings.workDir.toAbsolutePath();
        Path conf = Files.createDirectories(work.resolve("conf"));
        Path data = Files.createDirectories(work.resolve("data"));
        Path extensions = Files.createDirectories(
                settings.extensionsFolder != null ? settings.extensionsFolder : work.resolve("extensions"));
        if (settings.configTemplate != null) {
            BrokerConfigXml.write(settings.configTemplate, conf.resolve("config.xml"), settings.port,
                    settings.bindAddress, settings.tls);
        } else {
            BrokerConfigXml.write(conf.resolve("config.xml"), settings.port, settings.bindAddress, settings.tls);
        }

        EmbeddedHiveMQBuilder builder = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(conf)
                .withDataFolder(data)
                .withExtensionsFolder(extensions);
        if (!settings.hivemqLogging) {
            builder.withoutLoggingBootstrap();
        }
        if (extension != null) {
            ExtensionInfo info = ExtensionInfo.current();
            builder.withEmbeddedExtension(EmbeddedExtension.builder()
                    .withId(info.id())
                    .withName(info.name())
                    .withVersion(info.version())
                    .withAuthor(info.author())
                    .withPriority(info.priority())
                    .withStartPriority(info.startPriority())
                    .withExtensionMain(extension)
                    .build());
        }
        hivemq = builder.build();
        try {
            hivemq.start().get(settings.startTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            closeQuietly();
            throw new IllegalStateException("HiveMQ did not start: " + e.getCause(), e.getCause());
        } catch (TimeoutException | InterruptedException e) {
            closeQuietly();
            throw e;
        }
        // HiveMQ starts embedded extensions inside start() and only logs a refusal.
        if (extension != null && !extension.isRunning()) {
            String reason = extension.startupFailure().orElse("unknown reason (see HiveMQ's log)");
            closeQuietly();
            throw new IllegalStateException("the ftpipe extension did not start: " + reason);
        }
        LOG.info("HiveMQ with the ftpipe extension listening on {}:{}", settings.bindAddress, settings.port);
        return this;
    }

    public int port() {
        return settings.port;
    }

    public String bindAddress() {
        return settings.bindAddress;
    }

    /** {@code tcp://host:port} for MQTT clients (loopback when bound to all interfaces). */
    public String serverUri() {
        return "tcp://" + clientHost() + ":" + settings.port;
    }

    /** {@code ssl://host:port} of the TLS listener, if the broker has one. */
    public Optional<String> tlsServerUri() {
        return Optional.ofNullable(settings.tls).map(t -> "ssl://" + clientHost() + ":" + t.port());
    }

    private String clientHost() {
        return settings.bindAddress.equals("0.0.0.0") ? "127.0.0.1" : settings.bindAddress;
    }

    public Path dataFolder() {
        return settings.workDir.toAbsolutePath().resolve("data");
    }

    /** The embedded extension, unless built {@link Builder#withoutEmbeddedExtension()}. */
    public Optional<FtpipeExtensionMain> extension() {
        return Optional.ofNullable(extension);
    }

    /** Stops the broker (closing the central node through extensionStop) and releases it. */
    @Override
    public synchronized void close() throws InterruptedException, TimeoutException {
        if (hivemq == null) {
            return;
        }
        EmbeddedHiveMQ closing = hivemq;
        hivemq = null;
        try {
            closing.stop().get(settings.stopTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            LOG.warn("HiveMQ did not stop cleanly", e.getCause());
        } finally {
            try {
                closing.close();
            } catch (ExecutionException e) {
                LOG.warn("HiveMQ did not close cleanly", e.getCause());
            }
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (Exception e) {
            LOG.warn("HiveMQ did not stop after a failed start", e);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Settings; everything but the work folder has a default. */
    public static final class Builder {
        private final Path workDir;
        private int port = 1883;
        private String bindAddress = "127.0.0.1";
        private Path configTemplate;
        private Path extensionsFolder;
        private boolean embedExtension = true;
        private ExtensionConfig extensionConfig;
        private Path extensionConfigFile;
        private Path stateDir;
        private CentralNodeFactory factory = CentralNodeFactory.LOGGING;
        private int coapPort;
        private TlsListener tls;
        private boolean hivemqLogging = true;
        private Duration startTimeout = Duration.ofSeconds(60);
        private Duration stopTimeout = Duration.ofSeconds(60);

        private Builder(Path workDir) {
            this.workDir = Objects.requireNonNull(workDir, "workDir");
        }

        /** The MQTT TCP port (default 1883); {@link FreePort#find()} for tests. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Default 127.0.0.1: an embedded broker is local unless asked otherwise. */
        public Builder bindAddress(String bindAddress) {
            this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress");
            return this;
        }

        /** A HiveMQ config.xml to start from instead of the shipped one (its listener is replaced). */
        public Builder hivemqConfigTemplate(Path template) {
            this.configTemplate = template;
            return this;
        }

        /** HiveMQ's drop-in folder (default: an empty {@code extensions/} in the work folder). */
        public Builder extensionsFolder(Path folder) {
            this.extensionsFolder = folder;
            return this;
        }

        /**
         * The central node's configuration (default: all defaults, but dataDir
         * {@code <workDir>/central} and the CoAP management API off).
         */
        public Builder extensionConfig(ExtensionConfig config) {
            this.extensionConfig = config;
            this.extensionConfigFile = null;
            this.stateDir = null;
            return this;
        }

        /** Read the configuration from this file when the extension starts. */
        public Builder extensionConfigFile(Path file) {
            this.extensionConfigFile = file;
            this.extensionConfig = null;
            this.stateDir = null;
            return this;
        }

        /**
         * Read the configuration from this file when the extension starts, with a relative
         * {@code dataDir} under {@code stateDir} ({@code ftpipe broker}); its accounts reload when
         * the file changes.
         */
        public Builder extensionConfigFile(Path file, Path stateDir) {
            extensionConfigFile(file);
            this.stateDir = Objects.requireNonNull(stateDir, "stateDir");
            return this;
        }

        /** The real central node (default: {@link CentralNodeFactory#LOGGING}). */
        public Builder centralNodeFactory(CentralNodeFactory factory) {
            this.factory = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /**
         * The CoAP management API's UDP port on loopback ({@link FreePort#findUdp()} for tests), for
         * the default configuration; default 0: off. A configuration given explicitly sets its own.
         */
        public Builder coapPort(int port) {
            this.coapPort = port;
            return this;
        }

        /**
         * A TLS listener besides the plain TCP one, on the same bind address (default: none). The
         * plain listener stays, because every embedded broker has one; a production
         * {@code config.xml} may have the TLS listener alone (config/README.md).
         */
        public Builder tlsListener(TlsListener tls) {
            this.tls = tls;
            return this;
        }

        /** A plain broker, e.g. to run the packaged drop-in from {@link #extensionsFolder}. */
        public Builder withoutEmbeddedExtension() {
            this.embedExtension = false;
            return this;
        }

        /** Leave logging to the embedding application (HiveMQ otherwise configures logback). */
        public Builder withoutHivemqLogging() {
            this.hivemqLogging = false;
            return this;
        }

        public Builder startTimeout(Duration timeout) {
            this.startTimeout = timeout;
            return this;
        }

        public Builder stopTimeout(Duration timeout) {
            this.stopTimeout = timeout;
            return this;
        }

        public EmbeddedBroker build() {
            if (coapPort != 0 && (extensionConfig != null || extensionConfigFile != null)) {
                throw new IllegalStateException("coapPort applies to the default configuration only; set coapPort "
                        + "in the configuration given");
            }
            return new EmbeddedBroker(this);
        }
    }
}
