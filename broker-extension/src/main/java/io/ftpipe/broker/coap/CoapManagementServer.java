package io.ftpipe.broker.coap;

import io.ftpipe.broker.JobWatchers;
import io.ftpipe.broker.central.TrainingCentralNode;
import io.ftpipe.broker.configuration.ExtensionConfig;
import io.ftpipe.broker.security.LiveAccounts;
import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.elements.util.DaemonThreadFactory;
import org.eclipse.californium.elements.util.ExecutorsUtil;
import org.eclipse.californium.scandium.config.DtlsConfig;
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
 * <p>With {@code security} on, every request needs a management client's credentials
 * ({@link ManagementAccess}): over DTLS ({@code coapsPort}) its pre-shared key, over plain CoAP,
 * which then listens on loopback only, its password in the URI query.
 */
public final class CoapManagementServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CoapManagementServer.class);

    private final CoapServer server;
    private final CoapEndpoint endpoint;
    private final CoapEndpoint secure;
    private final Runnable unwatch;
    private final RequestRejections rejections;

    private CoapManagementServer(CoapServer server, CoapEndpoint endpoint, CoapEndpoint secure, Runnable unwatch,
                                 RequestRejections rejections) {
        this.server = server;
        this.endpoint = endpoint;
        this.secure = secure;
        this.unwatch = unwatch;
        this.rejections = rejections;
    }

    /** Standalone (tests): the accounts as configured, and the node's only job watcher. */
    public static CoapManagementServer start(ExtensionConfig config, TrainingCentralNode central) throws IOException {
        JobWatchers watchers = new JobWatchers();
        central.watch(watchers);
        return start(config, central, new LiveAccounts(config.security()), watchers);
    }

    /**
     * Listens on {@code config.coapBind():config.coapPort()} and starts watching the node's jobs.
     *
     * @throws IOException if the address cannot be resolved or bound (the extension then refuses to
     *                     start, as it does for any other bad setting)
     */
    public static CoapManagementServer start(ExtensionConfig config, TrainingCentralNode central,
                                             LiveAccounts accounts, JobWatchers watchers) throws IOException {
        InetSocketAddress address = resolve(ExtensionConfig.COAP_BIND, config.coapBind(), config.coapPort());
        if (accounts.enabled() && !address.getAddress().isLoopbackAddress()) {
            throw new IOException(ExtensionConfig.COAP_BIND + " is " + config.coapBind() + ", but with security on "
                    + "plain CoAP (whose requests carry passwords in clear) listens on loopback only: set "
                    + ExtensionConfig.COAP_BIND + " to 127.0.0.1 and reach other hosts through "
                    + ExtensionConfig.COAPS_PORT + " (DTLS)");
        }
        Configuration coap = configuration();
        CoapServer server = new CoapServer(coap);
        // One daemon thread each: management traffic is light, and a forgotten server must not keep
        // the JVM alive (Californium's default pools are sized to the cores and not daemons).
        server.setExecutors(ExecutorsUtil.newScheduledThreadPool(1, new DaemonThreadFactory("ftpipe-coap#")),
                ExecutorsUtil.newDefaultSecondaryScheduler("ftpipe-coap-timer#"), false);
        CoapEndpoint endpoint = CoapEndpoint.builder().setConfiguration(coap).setInetSocketAddress(address).build();
        server.addEndpoint(endpoint);
        CoapEndpoint secure = null;
        if (accounts.enabled() && config.coapsPort() != 0) {
            secure = DtlsEndpoint.create(coap, resolve(ExtensionConfig.COAPS_BIND, config.coapsBind(),
                    config.coapsPort()), accounts);
            server.addEndpoint(secure);
        }

        RequestRejections rejections = new RequestRejections();
        KnownJobs jobs = new KnownJobs();
        JobsResource jobsResource = new JobsResource(central, jobs, rejections);
        jobs.listen(jobsResource);
        server.add(new DevicesResource(central.registry(), config.heartbeatTimeoutMillis(), jobs,
                System::currentTimeMillis, rejections), jobsResource, new PlanResource(jobs));
        if (accounts.enabled()) {
            ManagementAccess access = new ManagementAccess(accounts);
            server.setMessageDeliverer(new GuardedDeliverer(server.getRoot(), coap, access, rejections));
        }
        try {
            server.start();
        } catch (IllegalStateException e) {
            // No endpoint started; below, each is asked why.
        }
        failIfNotStarted(server, endpoint, ExtensionConfig.COAP_PORT);
        failIfNotStarted(server, secure, ExtensionConfig.COAPS_PORT);
        watchers.add(jobs);
        CoapManagementServer started = new CoapManagementServer(server, endpoint, secure, () -> watchers.remove(jobs),
                rejections);
        LOG.info("CoAP management API listening on udp {}{}", started.address(),
                secure == null ? "" : " and, over DTLS, on udp " + secure.getAddress());
        return started;
    }

    private static InetSocketAddress resolve(String key, String host, int port) throws IOException {
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new IOException(key + " '" + host + "' cannot be resolved");
        }
        return address;
    }

    /**
     * Californium starts the endpoints it can and only logs the others (or, when none started, says
     * only that): an endpoint that did not start is started again here to learn why, and the API
     * does not run half.
     */
    private static void failIfNotStarted(CoapServer server, CoapEndpoint endpoint, String portKey)
            throws IOException {
        if (endpoint == null || endpoint.isStarted()) {
            return;
        }
        String why;
        try {
            endpoint.start();
            return;
        } catch (IOException e) {
            why = e.getMessage();
        }
        server.destroy();
        throw new IOException("the CoAP management API cannot listen on udp " + endpoint.getAddress() + " (" + why
                + "); set " + portKey + " to another port, or to 0 to turn it off");
    }

    /**
     * Californium's standard settings, never read from or written to {@code Californium3.properties}
     * (its default writes that file into the working directory — HiveMQ's, here).
     */
    static Configuration configuration() {
        CoapConfig.register();
        UdpConfig.register();
        DtlsConfig.register();
        return Configuration.createStandardWithoutFile();
    }

    /** Where it listens (with the port the OS chose if started directly with port 0, as unit tests do). */
    public InetSocketAddress address() {
        return endpoint.getAddress();
    }

    /** Requests refused so far, by reason. */
    public Map<String, Long> rejections() {
        return rejections.snapshot();
    }

    /** Where the DTLS endpoint listens, if security is on and {@code coapsPort} is set. */
    public java.util.Optional<InetSocketAddress> secureAddress() {
        return java.util.Optional.ofNullable(secure).map(CoapEndpoint::getAddress);
    }

    @Override
    public void close() {
        unwatch.run();
        server.destroy();
        LOG.info("CoAP management API stopped");
    }
}
