package io.ftpipe.cli;

import io.ftpipe.broker.central.JobListener;
import io.ftpipe.broker.central.JobReport;
import io.ftpipe.broker.central.TrainingCentralNode;
import io.ftpipe.broker.configuration.ExtensionConfig;
import io.ftpipe.broker.configuration.ExtensionConfigReader;
import io.ftpipe.broker.embedded.EmbeddedBroker;
import io.ftpipe.broker.security.InsecureExposure;
import io.ftpipe.cli.bench.BrokerProcess;
import io.ftpipe.cli.demo.JobDriver;
import io.ftpipe.cli.demo.JobOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code ftpipe broker}: HiveMQ CE with the ftpipe extension as the central node, for devices on
 * other machines ({@code ftpipe device --broker-url tcp://HOST:PORT}). With {@code --train} it runs
 * one job as soon as enough devices have joined, then keeps serving. Jobs that were running when
 * the broker last stopped or died (same {@code --work}) go on from their checkpoints.
 *
 * <p>Secure by default: with security off it listens on loopback, and refuses to listen beyond it
 * (MQTT, CoAP or the dashboard) unless told {@code --insecure}. The accounts in the configuration
 * file reload when it changes.
 */
@Command(name = "broker", mixinStandardHelpOptions = true,
        description = "Run HiveMQ CE with the ftpipe extension (the central node).")
public final class BrokerCommand implements Callable<Integer> {
    @Spec
    private picocli.CommandLine.Model.CommandSpec spec;
    @Mixin
    JobOptions job;
    @Option(names = "--port", defaultValue = "1883")
    int port;
    @Option(names = "--bind", description = "address MQTT listens on (default: 0.0.0.0 with security on, "
            + "127.0.0.1 with it off)")
    String bind;
    @Option(names = "--insecure", description = "listen beyond loopback with security off: anyone who reaches the "
            + "broker may join as a device, read the training data and publish commands")
    boolean insecure;
    @Option(names = "--config", defaultValue = "config/ftpipe-extension.json", description = "the extension's "
            + "configuration; a relative dataDir in it is taken under --work/central")
    Path config;
    @Option(names = "--work", defaultValue = "runs/broker", description = "everything this command writes: "
            + "HiveMQ's files, the central node's job state and replicas, logs")
    Path work;
    @Option(names = "--train", description = "run one job (the job options) once the devices have joined")
    boolean train;

    @Override
    public Integer call() throws Exception {
        // Read and checked before anything starts: a mistake is one line, not HiveMQ's start and stop.
        ExtensionConfig settings = new ExtensionConfigReader().read(config, work.resolve("central"));
        if (train) {
            job.check(spec.commandLine(), settings.datasetDir());
        }
        // Like Mosquitto 2: without accounts, only this machine may connect unless told otherwise.
        String address = bind != null ? bind : settings.security().enabled() ? "0.0.0.0" : "127.0.0.1";
        List<InsecureExposure.Listener> exposed = InsecureExposure.exposed(settings,
                List.of(new InsecureExposure.Listener("MQTT", address, port)));
        if (!exposed.isEmpty() && !insecure) {
            throw new ParameterException(spec.commandLine(), InsecureExposure.describe(exposed));
        }
        Preflight.portFree(address, port);
        AtomicReference<TrainingCentralNode> central = new AtomicReference<>();
        try (EmbeddedBroker broker = EmbeddedBroker.builder(work).port(port).bindAddress(address)
                .extensionConfigFile(config, work.resolve("central"))
                .centralNodeFactory(TrainingCentralNode.factory(central::set)).build().start()) {
            var err = spec.commandLine().getErr();
            err.println(BrokerProcess.LISTENING + " at " + broker.serverUri() + "; Ctrl-C stops");
            broker.extension().flatMap(e -> e.dashboard()).ifPresent(web -> err.println("dashboard and /metrics at http://"
                    + settings.httpBind() + ":" + web.address().getPort() + "/"));
            Map<String, CompletableFuture<JobReport>> resumed = central.get().resumeUnfinished(JobListener.NONE);
            resumed.keySet().forEach(id -> err.println("resuming job " + id + " where it stood when the broker "
                    + "stopped; its report will be " + central.get().reportPath(id)));
            if (train && !resumed.isEmpty()) {
                err.println("--train: no new job while a resumed one runs");
            } else if (train) {
                JobDriver.run(central.get(), job, 0, spec.commandLine().getOut(), spec.commandLine().getErr(),
                        JobListener.NONE);
            }
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
            stop.await();
            return 0;
        }
    }
}
