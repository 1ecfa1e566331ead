package io.ftpipe.cli.demo;

import io.ftpipe.broker.central.TrainingCentralNode;
import io.ftpipe.broker.configuration.ExtensionConfig;
import io.ftpipe.broker.embedded.EmbeddedBroker;
import io.ftpipe.broker.embedded.FreePort;
import io.ftpipe.centralclient.CentralClient;
import io.ftpipe.centralclient.configuration.BrokerConnection;
import io.ftpipe.centralclient.mosquitto.MosquittoBridge;
import io.ftpipe.centralclient.mosquitto.MosquittoConf;
import io.ftpipe.centralclient.mosquitto.MosquittoProcess;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The broker and central node a demo runs on: HiveMQ CE embedded with the extension as the central
 * node, or a Debian {@code mosquitto} process with the central node as its client
 * ({@code ftpipe central}), the devices' own or behind a site broker bridged to it. Either way one
 * {@link TrainingCentralNode} runs the job.
 */
public interface DemoBroker extends AutoCloseable {
    /** What devices connect to. */
    String url();

    TrainingCentralNode central();

    /** The broker's name, counts and the central node's metrics, for the report. */
    BrokerFacts facts();

    @Override
    void close() throws Exception;

    /** @param name one of {@link BrokerFacts#NAMES} */
    static DemoBroker start(String name, Path work) throws Exception {
        return switch (name) {
            case BrokerFacts.HIVEMQ -> hivemq(work);
            case BrokerFacts.MOSQUITTO -> mosquitto(work, false);
            case BrokerFacts.MOSQUITTO_BRIDGED -> mosquitto(work, true);
            default -> throw new IllegalArgumentException("unknown broker '" + name + "': one of " + BrokerFacts.NAMES);
        };
    }

    private static DemoBroker hivemq(Path work) throws Exception {
        AtomicReference<TrainingCentralNode> central = new AtomicReference<>();
        EmbeddedBroker broker = EmbeddedBroker.builder(work.resolve("broker")).port(FreePort.find())
                .centralNodeFactory(TrainingCentralNode.factory(central::set)).build().start();
        return new DemoBroker() {
            public String url() {
                return broker.serverUri();
            }

            public TrainingCentralNode central() {
                return central.get();
            }

            public BrokerFacts facts() {
                return BrokerFacts.hivemq();
            }

            public void close() throws Exception {
                broker.close();
            }
        };
    }

    /**
     * Mosquitto on a free loopback port, and the central node as its client, CoAP off (as embedded);
     * {@code bridged}: the devices' site broker is a second Mosquitto, bridged to the central node's.
     */
    private static DemoBroker mosquitto(Path work, boolean bridged) throws Exception {
        List<MosquittoProcess> brokers = new ArrayList<>();
        CentralClient central;
        try {
            MosquittoProcess core = MosquittoProcess.start(work.resolve("mosquitto"), MosquittoConf.open(FreePort.find()));
            brokers.add(core);
            if (bridged) {
                MosquittoBridge bridge = MosquittoBridge.anonymous("ftpipe-site", "127.0.0.1", core.port());
                brokers.add(MosquittoProcess.start(work.resolve("mosquitto-site"),
                        MosquittoConf.open(FreePort.find()).withExtra(bridge.lines())));
                core.awaitLog(" as " + bridge.name() + " (", 10_000);
            }
            ExtensionConfig config = ExtensionConfig.defaults(work).withDataDir(work.resolve("central")).withCoap(0,
                    ExtensionConfig.DEFAULT_COAP_BIND);
            central = CentralClient.create(config, new BrokerConnection(core.url(), BrokerConnection.DEFAULT_CLIENT_ID,
                    null, null, null, null, null, null, BrokerConnection.DEFAULT_SESSION_EXPIRY_SECONDS,
                    BrokerConnection.DEFAULT_KEEP_ALIVE_SECONDS, BrokerConnection.DEFAULT_CONNECT_TIMEOUT_SECONDS))
                    .connect();
        } catch (Exception e) {
            for (MosquittoProcess b : brokers) {
                b.close();
            }
            throw e;
        }
        String name = bridged ? BrokerFacts.MOSQUITTO_BRIDGED : BrokerFacts.MOSQUITTO;
        return new DemoBroker() {
            public String url() {
                return brokers.get(brokers.size() - 1).url();
            }

            public TrainingCentralNode central() {
                return central.node();
            }

            public BrokerFacts facts() {
                return new BrokerFacts(name, central::brokerCounters, central::metricsSnapshot);
            }

            public void close() throws Exception {
                central.close();
                for (MosquittoProcess b : brokers) {
                    b.close();
                }
            }
        };
    }
}
