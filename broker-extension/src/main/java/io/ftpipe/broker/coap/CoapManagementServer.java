package io.ftpipe.broker.coap;

import io.ftpipe.broker.central.JobWatcher;
import io.ftpipe.broker.central.TrainingCentralNode;
import io.ftpipe.broker.configuration.ExtensionConfig;
import io.ftpipe.broker.security.Accounts;
import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.elements.util.DaemonThreadFactory;
import org.eclipse.californium.elements.util.ExecutorsUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;

/**
 * The central node's CoAP management API (docs/management.md): devices, jobs (list, submit,
 * observe, stop) and plans, as JSON, on one UDP endpoint. It only wires resources to the central
 * node; each resource is its own class.
 *
 * <p>With {@code security} on, changes (POST, DELETE) need an admin's credentials in the URI query
 * ({@link ManagementAccess}); reads stay open. There is no DTLS, so credentials cross the network in
 * clear: the API listens on loopback unless {@code coapBind} says otherwise.
 */
public final class CoapManagementServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CoapManagementServer.class);

    private final CoapServer server;
    private final CoapEndpoint endpoint;
    private final TrainingCentralNode central;
    private final RequestRejections rejections;

    private CoapManagementServer(CoapServer server, CoapEndpoint endpoint, TrainingCentralNode central,
                                 RequestRejections rejections) {
        this.server = server;
        this.endpoint = endpoint;
        this.central = central;
        this.rejections = rejections;
    }

    /**
     * Listens on {@code config.coapBind():config.coapPort()} and starts watching the node's jobs.
     *
     * @throws IOException if the address cannot be resolved or bound (the extension then refuses to
     *                     start, as it does for any other bad setting)
     */
    public static CoapManagementServer start(ExtensionConfig config, TrainingCentralNode central) throws IOException {
        InetSocketAddress address = new InetSocketAddress(config.coapBind(), config.coapPort());
        if (address.isUnresolved()) {
            throw new IOException(ExtensionConfig.COAP_BIND + " '" + config.coapBind() + "' cannot be resolved");
        }
        Configuration coap = configuration();
        CoapServer server = new CoapServer(coap);
        // One daemon thread each: management traffic is light, and a forgotten server must not keep
        // the JVM alive (Californium's default pools are sized to the cores and not daemons).
        server.setExecutors(ExecutorsUtil.newScheduledThreadPool(1, new DaemonThreadFactory("ftpipe-coap#")),
                ExecutorsUtil.newDefaultSecondaryScheduler("ftpipe-coap-timer#"), false);
        CoapEndpoint endpoint = CoapEndpoint.builder().setConfiguration(coap).setInetSocketAddress(address).build();
        server.addEndpoint(endpoint);

        RequestRejections rejections = new RequestRejections();
        KnownJobs jobs = new KnownJobs();
        JobsResource jobsResource = new JobsResource(central, jobs, rejections);
        jobs.listen(jobsResource);
        server.add(new DevicesResource(central.registry(), config.heartbeatTimeoutMillis(), jobs,
                System::currentTimeMillis, rejections), jobsResource, new PlanResource(jobs));
        if (config.security().enabled()) {
            ManagementAccess access = new ManagementAccess(new Accounts(config.security()));
            server.setMessageDeliverer(new GuardedDeliverer(server.getRoot(), coap, access, rejections));
        }
        try {
            server.start();
        } catch (IllegalStateException e) {
            // Californium only says that no endpoint started; binding again tells why.
            String why = bindFailure(endpoint);
            server.destroy();
            throw new IOException("the CoAP management API cannot listen on udp " + address + " (" + why + "); set "
                    + ExtensionConfig.COAP_PORT + " to another port, or to 0 to turn it off", e);
        }
        central.watch(jobs);
        CoapManagementServer started = new CoapManagementServer(server, endpoint, central, rejections);
        LOG.info("CoAP management API listening on udp {}", started.address());
        return started;
    }

    /**
     * Californium's standard settings, never read from or written to {@code Californium3.properties}
     * (its default writes that file into the working directory — HiveMQ's, here).
     */
    static Configuration configuration() {
        CoapConfig.register();
        UdpConfig.register();
        return Configuration.createStandardWithoutFile();
    }

    private static String bindFailure(CoapEndpoint endpoint) {
        try {
            endpoint.start();
            return "reason unknown";
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    /** Where it listens (with the port the OS chose if started directly with port 0, as unit tests do). */
    public InetSocketAddress address() {
        return endpoint.getAddress();
    }

    /** Requests refused so far, by reason. */
    public Map<String, Long> rejections() {
        return rejections.snapshot();
    }

    @Override
    public void close() {
        central.watch(JobWatcher.NONE);
        server.destroy();
        LOG.info("CoAP management API stopped");
    }
}
