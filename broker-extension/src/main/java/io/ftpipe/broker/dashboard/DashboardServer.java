package io.ftpipe.broker.dashboard;

import com.codahale.metrics.MetricRegistry;
import com.sun.net.httpserver.HttpServer;
import io.ftpipe.broker.JobWatchers;
import io.ftpipe.broker.central.TrainingCentralNode;
import io.ftpipe.broker.configuration.ExtensionConfig;
import io.ftpipe.broker.metrics.PrometheusText;
import io.ftpipe.broker.security.LiveAccounts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The central node's web server (the JDK's own): the live dashboard at {@code /} with its API under
 * {@code /api/}, and {@code /metrics} for Prometheus. Listens on {@code httpBind:httpPort},
 * loopback unless configured otherwise; with security on, management accounts log in
 * (docs/management.md#dashboard).
 */
public final class DashboardServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DashboardServer.class);
    /** Streams hold a thread each; the rest are short requests. */
    static final int THREADS = EventStream.MAX_STREAMS + 4;

    private final HttpServer server;
    private final ExecutorService workers;
    private final ScheduledExecutorService ticker;
    private final EventStream stream;
    private final Runnable unwatch;

    private DashboardServer(HttpServer server, ExecutorService workers, ScheduledExecutorService ticker,
                            EventStream stream, Runnable unwatch) {
        this.server = server;
        this.workers = workers;
        this.ticker = ticker;
        this.stream = stream;
        this.unwatch = unwatch;
    }

    /**
     * @param metrics the registry {@code /metrics} exports: HiveMQ's inside a broker
     * @throws IOException naming the address and the setting when it cannot listen
     */
    public static DashboardServer start(ExtensionConfig config, TrainingCentralNode central, LiveAccounts accounts,
                                        JobWatchers watchers, MetricRegistry metrics) throws IOException {
        InetSocketAddress address = new InetSocketAddress(config.httpBind(), config.httpPort());
        if (address.isUnresolved()) {
            throw new IOException(ExtensionConfig.HTTP_BIND + " '" + config.httpBind() + "' cannot be resolved");
        }
        HttpServer server;
        try {
            server = HttpServer.create(address, 0);
        } catch (IOException e) {
            throw new IOException("the dashboard cannot listen on tcp " + address + " (" + e.getMessage() + "); set "
                    + ExtensionConfig.HTTP_PORT + " to another port, or to 0 to turn it off", e);
        }
        LiveView view = new LiveView(central.registry(), config.heartbeatTimeoutMillis(), System::currentTimeMillis);
        DashboardAccess access = new DashboardAccess(accounts, System::currentTimeMillis);
        EventStream stream = new EventStream(view);
        server.createContext("/", new PageHandler());
        server.createContext("/api/", new ApiHandler(access, view, stream, new JobControl(central, view)));
        server.createContext("/metrics", new MetricsHandler(new PrometheusText(metrics), access));
        ExecutorService workers = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(64), daemons("ftpipe-web-"));
        ((ThreadPoolExecutor) workers).allowCoreThreadTimeOut(true);
        server.setExecutor(workers);
        watchers.add(view);
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(daemons("ftpipe-web-tick-"));
        ticker.scheduleAtFixedRate(() -> {
            try {
                view.tick();
            } catch (RuntimeException e) {
                LOG.warn("the dashboard's view could not be updated: {}", e.toString());
            }
        }, 0, 1, TimeUnit.SECONDS);
        server.start();
        DashboardServer started = new DashboardServer(server, workers, ticker, stream, () -> watchers.remove(view));
        LOG.info("dashboard and /metrics on http://{}:{}/ (security {})", config.httpBind(),
                started.address().getPort(), accounts.enabled() ? "on: management accounts log in" : "off");
        return started;
    }

    private static java.util.concurrent.ThreadFactory daemons(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Where it listens (with the port the OS chose when configured with an ephemeral one). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        unwatch.run();
        stream.close();
        ticker.shutdownNow();
        // Streams end within a second (their next snapshot sees the flag); requests get that long too.
        server.stop(1);
        workers.shutdownNow();
        LOG.info("dashboard stopped");
    }
}
