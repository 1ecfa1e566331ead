package io.ftpipe.broker.configuration;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The central node's configuration, typed and validated. {@link ExtensionConfigReader} is the only
 * place that reads it from a file; embedding code may also build one directly, and gets the same
 * checks because they live in this constructor.
 *
 * @param dataDir                where the central node keeps its state (replica store, job state)
 * @param datasetDir             the Fashion-MNIST IDX files the central node feeds into stage 0
 * @param heartbeatTimeoutMillis a device with no heartbeat for this long is considered failed
 * @param backwardTimeoutMillis  no micro-batch finished for this long while one was fed and not
 *                               finished means the pipeline is stuck (a lost message or a hung
 *                               stage): a new term
 * @param maxPayloadBytes        larger device messages are not handed to the central node
 * @param evalBatchSize          batch size for evaluating the assembled model
 * @param threads                worker threads of the central node
 * @param coapPort               UDP port of the CoAP management API; 0 turns it off
 * @param coapBind               the address the CoAP management API listens on (plain CoAP: on loopback
 *                               only when security is on)
 * @param coapsPort              UDP port of the management API over DTLS (security on only); 0 turns it off
 * @param coapsBind              the address the DTLS endpoint listens on
 * @param httpPort               TCP port of the dashboard and {@code /metrics}; 0 turns it off
 * @param httpBind               the address the dashboard and {@code /metrics} listen on
 * @param security               who may connect and what each may do; {@link SecurityConfig#OFF}
 *                               unless the file has a {@code security} section that turns it on
 * @param userFiles              the folders of models and data sets a job submitted over the
 *                               management API may name
 */
public record ExtensionConfig(
        Path dataDir,
        Path datasetDir,
        long heartbeatTimeoutMillis,
        long backwardTimeoutMillis,
        int maxPayloadBytes,
        int evalBatchSize,
        int threads,
        int coapPort,
        String coapBind,
        int coapsPort,
        String coapsBind,
        int httpPort,
        String httpBind,
        SecurityConfig security,
        UserFiles userFiles) {

    public static final String DATA_DIR = "dataDir";
    public static final String DATASET_DIR = "datasetDir";
    public static final String HEARTBEAT_TIMEOUT_MILLIS = "heartbeatTimeoutMillis";
    public static final String BACKWARD_TIMEOUT_MILLIS = "backwardTimeoutMillis";
    public static final String MAX_PAYLOAD_BYTES = "maxPayloadBytes";
    public static final String EVAL_BATCH_SIZE = "evalBatchSize";
    public static final String THREADS = "threads";
    public static final String COAP_PORT = "coapPort";
    public static final String COAP_BIND = "coapBind";
    public static final String COAPS_PORT = "coapsPort";
    public static final String COAPS_BIND = "coapsBind";
    public static final String HTTP_PORT = "httpPort";
    public static final String HTTP_BIND = "httpBind";
    public static final String SECURITY = SecurityConfig.SECURITY;

    public static final String DEFAULT_DATA_DIR = "data";
    public static final Path DEFAULT_DATASET_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    public static final long DEFAULT_HEARTBEAT_TIMEOUT_MILLIS = 5_000;
    public static final long DEFAULT_BACKWARD_TIMEOUT_MILLIS = 30_000;
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 64 * 1024 * 1024;
    public static final int DEFAULT_EVAL_BATCH_SIZE = 500;
    public static final int DEFAULT_THREADS = 2;
    /** CoAP's registered port (RFC 7252). */
    public static final int DEFAULT_COAP_PORT = 5683;
    /**
     * Loopback: without {@code security} the management API has no authentication, and with it the
     * credentials travel in clear (no DTLS yet), so exposing it is an explicit choice.
     */
    public static final String DEFAULT_COAP_BIND = "127.0.0.1";
    /**
     * Off unless the file sets a port (the shipped one does: 5684, CoAP over DTLS's registered
     * port): code that builds a configuration, tests side by side, would otherwise collide on it.
     */
    public static final int DEFAULT_COAPS_PORT = 0;
    public static final String DEFAULT_COAPS_BIND = "127.0.0.1";
    /** Off unless the file sets a port (the shipped one: 8780), as for {@link #DEFAULT_COAPS_PORT}. */
    public static final int DEFAULT_HTTP_PORT = 0;
    /** Loopback: the dashboard lets anyone who reaches it change things when security is off. */
    public static final String DEFAULT_HTTP_BIND = "127.0.0.1";

    /** Below this, scheduling jitter on a 2-core gateway would look like a failure. */
    static final long MIN_HEARTBEAT_TIMEOUT_MILLIS = 100;
    static final long MAX_HEARTBEAT_TIMEOUT_MILLIS = 24L * 60 * 60 * 1000;
    /** MQTT's largest payload: a 268435455-byte remaining length less the smallest header. */
    static final int MAX_MAX_PAYLOAD_BYTES = 268_435_455;
    static final int MAX_THREADS = 256;

    public ExtensionConfig {
        Objects.requireNonNull(dataDir, DATA_DIR);
        Objects.requireNonNull(datasetDir, DATASET_DIR);
        // Relative paths would silently depend on HiveMQ's working directory; the reader resolves
        // them against the config file's folder, so anything else is a programming error.
        if (!dataDir.isAbsolute()) {
            throw new IllegalArgumentException(DATA_DIR + " must be an absolute path, got '" + dataDir + "'");
        }
        if (!datasetDir.isAbsolute()) {
            throw new IllegalArgumentException(DATASET_DIR + " must be an absolute path, got '" + datasetDir + "'");
        }
        checkRange(HEARTBEAT_TIMEOUT_MILLIS, heartbeatTimeoutMillis, MIN_HEARTBEAT_TIMEOUT_MILLIS,
                MAX_HEARTBEAT_TIMEOUT_MILLIS);
        checkRange(BACKWARD_TIMEOUT_MILLIS, backwardTimeoutMillis, MIN_HEARTBEAT_TIMEOUT_MILLIS,
                MAX_HEARTBEAT_TIMEOUT_MILLIS);
        checkRange(MAX_PAYLOAD_BYTES, maxPayloadBytes, 1, MAX_MAX_PAYLOAD_BYTES);
        checkRange(EVAL_BATCH_SIZE, evalBatchSize, 1, 1_000_000);
        checkRange(THREADS, threads, 1, MAX_THREADS);
        checkRange(COAP_PORT, coapPort, 0, 65_535);
        checkAddress(COAP_BIND, coapBind);
        checkRange(COAPS_PORT, coapsPort, 0, 65_535);
        checkAddress(COAPS_BIND, coapsBind);
        checkRange(HTTP_PORT, httpPort, 0, 65_535);
        checkAddress(HTTP_BIND, httpBind);
        Objects.requireNonNull(security, SECURITY);
        Objects.requireNonNull(userFiles, "userFiles");
    }

    /** With the listeners this record gained later (DTLS, HTTP) off. */
    public ExtensionConfig(Path dataDir, Path datasetDir, long heartbeatTimeoutMillis, long backwardTimeoutMillis,
                           int maxPayloadBytes, int evalBatchSize, int threads, int coapPort, String coapBind,
                           SecurityConfig security) {
        this(dataDir, datasetDir, heartbeatTimeoutMillis, backwardTimeoutMillis, maxPayloadBytes, evalBatchSize, threads,
                coapPort, coapBind, DEFAULT_COAPS_PORT, DEFAULT_COAPS_BIND, DEFAULT_HTTP_PORT, DEFAULT_HTTP_BIND,
                security, UserFiles.beside(dataDir));
    }

    /**
     * Only the form: resolving a host name belongs to the server's start, which reports an address
     * it cannot bind as a startup error.
     */
    private static void checkAddress(String key, String address) {
        Objects.requireNonNull(address, key);
        if (address.isBlank() || !address.strip().equals(address)) {
            throw new IllegalArgumentException(key + " must be an address or host name without spaces, got '"
                    + address + "'");
        }
    }

    /** Without a {@code security} section: security off. */
    public ExtensionConfig(Path dataDir, Path datasetDir, long heartbeatTimeoutMillis, long backwardTimeoutMillis,
                           int maxPayloadBytes, int evalBatchSize, int threads, int coapPort, String coapBind) {
        this(dataDir, datasetDir, heartbeatTimeoutMillis, backwardTimeoutMillis, maxPayloadBytes, evalBatchSize, threads,
                coapPort, coapBind, SecurityConfig.OFF);
    }

    /** All defaults, with {@code dataDir} = {@code baseDir/data} (the extension home in a drop-in). */
    public static ExtensionConfig defaults(Path baseDir) {
        return new ExtensionConfig(baseDir.toAbsolutePath().resolve(DEFAULT_DATA_DIR), DEFAULT_DATASET_DIR,
                DEFAULT_HEARTBEAT_TIMEOUT_MILLIS, DEFAULT_BACKWARD_TIMEOUT_MILLIS, DEFAULT_MAX_PAYLOAD_BYTES, DEFAULT_EVAL_BATCH_SIZE, DEFAULT_THREADS,
                DEFAULT_COAP_PORT, DEFAULT_COAP_BIND);
    }

    public ExtensionConfig withDataDir(Path dir) {
        return new ExtensionConfig(dir, datasetDir, heartbeatTimeoutMillis, backwardTimeoutMillis, maxPayloadBytes, evalBatchSize,
                threads, coapPort, coapBind, coapsPort, coapsBind, httpPort, httpBind, security, userFiles);
    }

    public ExtensionConfig withDatasetDir(Path dir) {
        return new ExtensionConfig(dataDir, dir, heartbeatTimeoutMillis, backwardTimeoutMillis, maxPayloadBytes, evalBatchSize,
                threads, coapPort, coapBind, coapsPort, coapsBind, httpPort, httpBind, security, userFiles);
    }

    public ExtensionConfig withHeartbeatTimeoutMillis(long millis) {
        return new ExtensionConfig(dataDir, datasetDir, millis, backwardTimeoutMillis, maxPayloadBytes, evalBatchSize,
                threads, coapPort, coapBind, coapsPort, coapsBind, httpPort, httpBind, security, userFiles);
    }

    public ExtensionConfig withBackwardTimeoutMillis(long millis) {
        return new ExtensionConfig(dataDir, datasetDir, heartbeatTimeoutMillis, millis, maxPayloadBytes, evalBatchSize,
                threads, coapPort, coapBind, coapsPort, coapsBind, httpPort, httpBind, security, userFiles);
    }

    /** The CoAP management API on {@code port} (0 = off) at {@code bind}. */
    public ExtensionConfig withCoap(int port, String bind) {
        return new ExtensionConfig(dataDir, datasetDir, heartbeatTimeoutMillis, backwardTimeoutMillis, maxPayloadBytes,
                evalBatchSize, threads, port, bind, coapsPort, coapsBind, httpPort, httpBind, security, userFiles);
    }

    /** Who may connect and what each may do (off: everyone, everything). */
    public ExtensionConfig withSecurity(SecurityConfig security) {
        return new ExtensionConfig(dataDir, datasetDir, heartbeatTimeoutMillis, backwardTimeoutMillis, maxPayloadBytes,
                evalBatchSize, threads, coapPort, coapBind, coapsPort, coapsBind, httpPort, httpBind, security, userFiles);
    }

    /** The CoAP management API over DTLS on {@code port} (0 = off) at {@code bind}; used with security on. */
    public ExtensionConfig withCoaps(int port, String bind) {
        return new ExtensionConfig(dataDir, datasetDir, heartbeatTimeoutMillis, backwardTimeoutMillis, maxPayloadBytes,
                evalBatchSize, threads, coapPort, coapBind, port, bind, httpPort, httpBind, security, userFiles);
    }

    /** The dashboard and {@code /metrics} on {@code port} (0 = off) at {@code bind}. */
    public ExtensionConfig withHttp(int port, String bind) {
        return new ExtensionConfig(dataDir, datasetDir, heartbeatTimeoutMillis, backwardTimeoutMillis, maxPayloadBytes,
                evalBatchSize, threads, coapPort, coapBind, coapsPort, coapsBind, port, bind, security, userFiles);
    }

    /** The folders of models and data sets a job submitted over the management API may name. */
    public ExtensionConfig withUserFiles(UserFiles files) {
        return new ExtensionConfig(dataDir, datasetDir, heartbeatTimeoutMillis, backwardTimeoutMillis, maxPayloadBytes,
                evalBatchSize, threads, coapPort, coapBind, coapsPort, coapsBind, httpPort, httpBind, security, files);
    }

    static void checkRange(String key, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(key + " must be between " + min + " and " + max + ", got " + value);
        }
    }
}
