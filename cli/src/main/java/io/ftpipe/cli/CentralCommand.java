package io.ftpipe.cli;

import io.ftpipe.broker.central.JobListener;
import io.ftpipe.broker.central.JobReport;
import io.ftpipe.broker.configuration.ExtensionConfig;
import io.ftpipe.broker.configuration.ExtensionConfigReader;
import io.ftpipe.broker.security.InsecureExposure;
import io.ftpipe.cli.demo.BrokerFacts;
import io.ftpipe.cli.demo.JobDriver;
import io.ftpipe.cli.demo.JobOptions;
import io.ftpipe.centralclient.CentralClient;
import io.ftpipe.centralclient.configuration.BrokerConnection;
import io.ftpipe.centralclient.configuration.BrokerConnectionFile;
import io.ftpipe.centralclient.configuration.BrokerConnectionReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ftpipe central}: the central node as a client of an MQTT v5 broker that is already there
 * (Mosquitto, EMQX, VerneMQ, HiveMQ Enterprise, a cloud broker): the same node as the HiveMQ
 * extension, with its CoAP API, status topics and metrics. Jobs that were running when it last
 * stopped or died (same data folder) go on from their checkpoints; with {@code --train} it runs one
 * job once the devices have joined.
 */
@Command(name = "central", mixinStandardHelpOptions = true,
        description = {"Run the central node as a client of an MQTT v5 broker (docs/client-mode.md).",
                "The broker must let only device d publish to ftpipe/v1/devices/d/... (ftpipe mosquitto-config)."})
public final class CentralCommand implements Callable<Integer> {
    /** What {@code ftpipe central} prints once it is connected. */
    public static final String CONNECTED = "central node connected";
    /** Read when no {@code --password-file} is given. */
    static final String PASSWORD_VARIABLE = "FTPIPE_CENTRAL_PASSWORD";

    @Spec
    private picocli.CommandLine.Model.CommandSpec spec;
    @Mixin
    JobOptions job;
    @Option(names = "--broker-url", description = "tcp://host:1883 or ssl://host:8883 (or brokerUrl in --connection)")
    String brokerUrl;
    @Option(names = "--connection", paramLabel = "FILE", description = "the broker connection as JSON: brokerUrl, "
            + "clientId, username, password, truststore, truststorePassword, keystore, keystorePassword, "
            + "sessionExpirySeconds, keepAliveSeconds, connectTimeoutSeconds, dynamicSecurity; flags win over it")
    Path connection;
    @Option(names = "--client-id", description = "MQTT client id (default: " + BrokerConnection.DEFAULT_CLIENT_ID + ")")
    String clientId;
    @Option(names = "--username", description = "MQTT user name")
    String username;
    @Option(names = "--password-file", paramLabel = "FILE", description = "the password's first line (default: the "
            + "environment variable " + PASSWORD_VARIABLE + ", if set)")
    Path passwordFile;
    @Option(names = "--truststore", paramLabel = "FILE", description = "ssl://: certificates that sign the broker's")
    Path truststore;
    @Option(names = "--keystore", paramLabel = "FILE", description = "ssl://: the node's client certificate and key")
    Path keystore;
    @Option(names = "--session-expiry", paramLabel = "SECONDS", description = "how long the broker keeps the node's "
            + "session, and queues for it, after it went (default: "
            + BrokerConnection.DEFAULT_SESSION_EXPIRY_SECONDS + ")")
    Long sessionExpiry;
    @Option(names = "--dynamic-security", description = "the broker is a Mosquitto with the dynamic-security plugin "
            + "and this node's user as its admin (ftpipe mosquitto-config --dynamic-security): narrow each device to "
            + "the topics of its current stages at every term (or dynamicSecurity in --connection)")
    boolean dynamicSecurity;
    @Option(names = "--config", defaultValue = "config/ftpipe-extension.json", description = "the central node's "
            + "settings, as the extension's; a relative dataDir in it is taken under --work")
    Path config;
    @Option(names = "--work", defaultValue = "runs/central", description = "the central node's job state, replicas "
            + "and the devices' hellos")
    Path work;
    @Option(names = "--insecure", description = "serve the management API or the dashboard beyond loopback with "
            + "security off: anyone who reaches them may submit and stop jobs")
    boolean insecure;
    @Option(names = "--train", description = "run one job (the job options) once the devices have joined")
    boolean train;

    @Override
    public Integer call() throws Exception {
        ExtensionConfig settings = new ExtensionConfigReader().read(config, work);
        // The broker is someone else's; the management API and the dashboard are ours to keep close.
        List<InsecureExposure.Listener> exposed = InsecureExposure.exposed(settings, List.of());
        if (!exposed.isEmpty() && !insecure) {
            throw new ParameterException(spec.commandLine(), InsecureExposure.describe(exposed));
        }
        BrokerConnection broker = connection();
        if (train) {
            job.check(spec.commandLine(), settings.datasetDir());
        }
        var err = spec.commandLine().getErr();
        try (CentralClient central = CentralClient.create(settings, broker)) {
            Map<String, CompletableFuture<JobReport>> resumed = central.node().resumeUnfinished(JobListener.NONE);
            central.connect();
            err.println(CONNECTED + " to " + broker.brokerUrl() + " as " + broker.clientId() + "; Ctrl-C stops");
            err.flush();
            resumed.keySet().forEach(id -> err.println("resuming job " + id + " where it stood when the central node "
                    + "stopped; its report will be " + central.node().reportPath(id)));
            if (train && !resumed.isEmpty()) {
                err.println("--train: no new job while a resumed one runs");
            } else if (train) {
                JobDriver.run(central.node(), job, 0, spec.commandLine().getOut(), err, JobListener.NONE,
                        new BrokerFacts(central.brokerName(), central::brokerCounters, central::metricsSnapshot));
            }
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
            stop.await();
            return 0;
        }
    }

    /** The connection file's keys, the flags over them, the password from its file or the environment. */
    private BrokerConnection connection() throws Exception {
        BrokerConnectionFile file = connection == null ? BrokerConnectionFile.EMPTY
                : BrokerConnectionReader.read(connection);
        String password = passwordFile != null
                ? Files.readAllLines(passwordFile, StandardCharsets.UTF_8).stream().findFirst().orElse("")
                : System.getenv(PASSWORD_VARIABLE);
        BrokerConnectionFile flags = new BrokerConnectionFile(brokerUrl, clientId, username, password,
                truststore == null ? null : truststore.toAbsolutePath().toString(), null,
                keystore == null ? null : keystore.toAbsolutePath().toString(), null, sessionExpiry, null, null,
                dynamicSecurity ? Boolean.TRUE : null);
        return BrokerConnectionReader.connection(file.overriddenBy(flags),
                connection == null ? "the broker connection" : connection.toString());
    }
}
