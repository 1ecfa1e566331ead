package io.ftpipe.cli.bench;

import io.ftpipe.broker.central.DeviceRegistry;
import io.ftpipe.broker.central.JobListener;
import io.ftpipe.broker.central.JobReport;
import io.ftpipe.broker.central.JobSpec;
import io.ftpipe.broker.central.TrainingCentralNode;
import io.ftpipe.broker.configuration.ExtensionConfig;
import io.ftpipe.broker.embedded.FreePort;
import io.ftpipe.protocol.Message;
import io.ftpipe.protocol.Schedule;
import io.ftpipe.zoo.optim.OptimizerConfig;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * One job of {@code bench chaos}: a fresh embedded broker with the central node, device JVMs of
 * different speeds each behind its own {@link LoopbackLink}, one adaptive GPipe job (re-plans on),
 * and the faults of a {@link ChaosPlan} done to its devices while it trains. One fault at a time:
 * the next waits until the last is undone (the device rebooted, resumed, its link up), so that the
 * run's other devices are there for the job to recover on, and the job has devices to hit.
 */
public final class ChaosRun {
    /** How long a rebooting gateway is away. */
    static final long REBOOT_MILLIS = 3_000;
    /** Stalls and outages last past the central node's heartbeat timeout. */
    static final long STALL_MILLIS = ExtensionConfig.DEFAULT_HEARTBEAT_TIMEOUT_MILLIS + 2_000;
    static final long ECHO_MILLIS = 10_000;
    /** How long a due fault waits for the job to train on as many devices as it hits. */
    private static final double PATIENCE_SECONDS = 60;
    /** Time for heartbeats to report the refusals of the last echoed copies. */
    private static final long HEARTBEAT_SETTLE_MILLIS = 2_000;

    /** What to run; the same for the failure-free reference and every chaos run. */
    public record Setup(String model, List<Integer> slowdowns, int batchSize, int microBatches, int samples,
                        int epochs, long seed, JobSpec.Replication replication) {
        JobSpec job(String id) {
            return new JobSpec(id, model, slowdowns.size(), Schedule.GPIPE.wireName(), batchSize, microBatches, epochs,
                    OptimizerConfig.adam(FaultRun.LEARNING_RATE, 0), seed, 0, samples, JobSpec.ADAPTIVE, replication);
        }

        public Setup withEpochs(int e) {
            return new Setup(model, slowdowns, batchSize, microBatches, samples, e, seed, replication);
        }
    }

    /**
     * A fault as it was done.
     *
     * @param atSeconds on the job's clock (its report's)
     * @param devices   the victims, in the order hit
     * @param echoed    for an echo: copies published to devices' inputs; {@code refused}: the
     *                  messages the devices refused meanwhile, from their heartbeats
     */
    public record Injected(double atSeconds, ChaosPlan.Kind kind, List<String> devices, long echoed, long refused) {
    }

    /**
     * @param report  null if the job failed, and {@code error} says why
     * @param skipped faults not done: the job trained on too few devices to survive them
     */
    public record Result(JobReport report, String error, Timeline timeline, List<Injected> faults,
                         List<ChaosPlan.Fault> skipped) {
    }

    private ChaosRun() {
    }

    /** The job, with the faults of {@code plan} (none for the failure-free reference). */
    public static Result run(Setup setup, List<ChaosPlan.Fault> plan, Path work, Consumer<String> progress)
            throws Exception {
        int port = FreePort.find();
        Map<String, LoopbackLink> links = new LinkedHashMap<>();
        Map<String, Map<String, String>> flags = new LinkedHashMap<>();
        try {
            for (int i = 0; i < setup.slowdowns().size(); i++) {
                LoopbackLink link = new LoopbackLink("127.0.0.1", port);
                links.put("d" + i, link);
                flags.put("d" + i, Map.of("--broker-url", link.uri(), "--heartbeat-millis", FaultRun.HEARTBEAT_MILLIS,
                        "--slowdown", String.valueOf(setup.slowdowns().get(i))));
            }
            try (BenchCluster cluster = BenchCluster.start(work, port, flags)) {
                return new Injector(cluster, links, "tcp://127.0.0.1:" + port, setup, progress).run(plan);
            }
        } finally {
            for (LoopbackLink link : links.values()) {
                link.close();
            }
        }
    }

    /** Does the faults to one job, one at a time, and undoes them on timers. */
    private static final class Injector implements JobListener {
        private final BenchCluster cluster;
        private final Map<String, LoopbackLink> links;
        private final String brokerUri;
        private final Setup setup;
        private final Consumer<String> progress;
        private final Timeline timeline;
        private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
        private final List<Injected> injected = new CopyOnWriteArrayList<>();
        private final AtomicReference<List<String>> jobDevices = new AtomicReference<>(List.of());
        private final AtomicBoolean recovering = new AtomicBoolean();
        /** Faults not undone yet. */
        private final AtomicInteger undoing = new AtomicInteger();
        /** A second device to pause once the job notices the first failure. */
        private final AtomicReference<Runnable> onBroken = new AtomicReference<>();
        private final List<String> paused = new CopyOnWriteArrayList<>();
        private final List<ChaosPlan.Fault> skipped = new CopyOnWriteArrayList<>();
        private volatile long startedMillis;

        Injector(BenchCluster cluster, Map<String, LoopbackLink> links, String brokerUri, Setup setup,
                 Consumer<String> progress) {
            this.cluster = cluster;
            this.links = links;
            this.brokerUri = brokerUri;
            this.setup = setup;
            this.progress = progress;
            this.timeline = new Timeline(setup.batchSize() / setup.microBatches());
        }

        Result run(List<ChaosPlan.Fault> plan) throws Exception {
            TrainingCentralNode central = cluster.central();
            startedMillis = System.currentTimeMillis();
            CompletableFuture<JobReport> job = central.submit(setup.job("chaos"), this);
            try {
                for (ChaosPlan.Fault f : plan) {
                    if (awaitChance(f, job)) {
                        inject(f);
                    } else if (job.isDone()) {
                        break;
                    }
                }
                JobReport report = job.get(6, TimeUnit.HOURS);
                awaitUndone();
                // On the report's clock, so that faults line up with its recoveries exactly.
                double shift = (startedMillis - report.startedMillis()) / 1e3;
                return new Result(report, null, timeline, injected.stream().map(i -> new Injected(i.atSeconds() + shift,
                        i.kind(), i.devices(), i.echoed(), i.refused()))
                        .sorted(Comparator.comparingDouble(Injected::atSeconds)).toList(),
                        List.copyOf(skipped));
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                return new Result(null, Objects.requireNonNullElse(cause.getMessage(), cause.toString()), timeline,
                        List.copyOf(injected), List.copyOf(skipped));
            } finally {
                timers.shutdownNow();
                for (String d : paused) {
                    cluster.signal(d, "CONT");
                }
                links.values().forEach(LoopbackLink::up);
            }
        }

        private double now() {
            return (System.currentTimeMillis() - startedMillis) / 1e3;
        }

        /**
         * Waits until the fault is due, the last one is undone, and the job trains on as many devices
         * as the fault hits; false if the job ended first, or if it trained on too few for
         * {@link #PATIENCE_SECONDS} (the fault is then skipped, and counted).
         */
        private boolean awaitChance(ChaosPlan.Fault f, CompletableFuture<JobReport> job) throws InterruptedException {
            while (!job.isDone()) {
                if (now() >= f.atSeconds() && undoing.get() == 0 && !recovering.get()) {
                    if (jobDevices.get().size() >= f.kind().victims()) {
                        return true;
                    }
                    if (now() > f.atSeconds() + PATIENCE_SECONDS) {
                        progress.accept(String.format("%.1fs: %s skipped: the job trains on %s", now(),
                                f.kind().label(), jobDevices.get()));
                        skipped.add(f);
                        return false;
                    }
                }
                Thread.sleep(100);
            }
            return false;
        }

        private void awaitUndone() throws InterruptedException {
            while (undoing.get() > 0) {
                Thread.sleep(100);
            }
        }

        private void inject(ChaosPlan.Fault f) throws Exception {
            List<String> devices = jobDevices.get();
            String victim = f.victim(devices, 0);
            double at = now();
            undoing.incrementAndGet();
            switch (f.kind()) {
                case KILL -> {
                    cluster.kill(List.of(victim));
                    later(REBOOT_MILLIS, () -> cluster.restart(victim));
                    done(at, f.kind(), List.of(victim), 0, 0);
                }
                case PAUSE -> {
                    pause(victim);
                    done(at, f.kind(), List.of(victim), 0, 0);
                }
                case OUTAGE -> {
                    links.get(victim).down();
                    later(STALL_MILLIS, () -> links.get(victim).up());
                    done(at, f.kind(), List.of(victim), 0, 0);
                }
                case ECHO -> {
                    long refusedBefore = refused();
                    Echo echo = Echo.start(brokerUri, "chaos-echo-" + injected.size(), "chaos");
                    later(ECHO_MILLIS, () -> {
                        echo.close();
                        Thread.sleep(HEARTBEAT_SETTLE_MILLIS);
                        done(at, f.kind(), List.of(), echo.toDevices(), refused() - refusedBefore);
                    });
                }
                case DURING_RECOVERY -> {
                    String second = f.victim(devices, 1);
                    undoing.incrementAndGet();
                    onBroken.set(() -> pause(second));
                    // Should the job never notice (it always has), the second pause is off.
                    timers.schedule(() -> {
                        if (onBroken.getAndSet(null) != null) {
                            undoing.decrementAndGet();
                        }
                    }, STALL_MILLIS * 4, TimeUnit.MILLISECONDS);
                    cluster.kill(List.of(victim));
                    later(REBOOT_MILLIS, () -> cluster.restart(victim));
                    done(at, f.kind(), List.of(victim, second), 0, 0);
                }
            }
            progress.accept(String.format("%.1fs: %s %s", at, f.kind().label(),
                    f.kind() == ChaosPlan.Kind.ECHO ? "of the job's stage messages" : victim));
        }

        private void pause(String device) {
            try {
                cluster.signal(device, "STOP");
                paused.add(device);
            } catch (Exception e) {
                progress.accept("could not pause " + device + ": " + e);
                undoing.decrementAndGet();
                return;
            }
            later(STALL_MILLIS, () -> {
                cluster.signal(device, "CONT");
                paused.remove(device);
            });
        }

        private void done(double at, ChaosPlan.Kind kind, List<String> devices, long echoed, long refused) {
            injected.add(new Injected(at, kind, devices, echoed, refused));
        }

        /** Undoes a fault after {@code millis}; the fault counts as undone once that has run. */
        private void later(long millis, Undo undo) {
            timers.schedule(() -> {
                try {
                    undo.run();
                } catch (Exception e) {
                    progress.accept("undoing a fault failed: " + e);
                } finally {
                    undoing.decrementAndGet();
                }
            }, millis, TimeUnit.MILLISECONDS);
        }

        private interface Undo {
            void run() throws Exception;
        }

        /** Messages the devices have refused, as their latest heartbeats say. */
        private long refused() {
            return cluster.central().registry().all().stream().map(DeviceRegistry.Device::lastHeartbeat)
                    .filter(Objects::nonNull).mapToLong(Message.Heartbeat::rejected).sum();
        }

        @Override
        public void termStarted(JobReport.Term term) {
            jobDevices.set(term.devices());
            recovering.set(false);
            progress.accept(String.format("%.1fs: term %d, %s (%s)", now(), term.term(), term.describeStages(),
                    term.reason()));
        }

        @Override
        public void event(String what) {
            if (what.contains(" broken: ")) {
                recovering.set(true);
                Runnable second = onBroken.getAndSet(null);
                if (second != null) {
                    second.run();
                }
            }
        }

        @Override
        public void microBatchDone(long done, double loss) {
            timeline.add(now(), done);
        }
    }
}
