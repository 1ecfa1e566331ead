package io.ftpipe.cli.bench;

import io.ftpipe.broker.central.JobReport;
import io.ftpipe.broker.central.JobSpec;
import io.ftpipe.broker.configuration.ExtensionConfig;
import io.ftpipe.broker.embedded.FreePort;
import io.ftpipe.protocol.Schedule;
import io.ftpipe.zoo.optim.OptimizerConfig;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * One job of {@code bench chaos}: the central node in a JVM of its own ({@link ChaosCentral}),
 * device JVMs of different speeds each behind its own {@link LoopbackLink}, one adaptive GPipe job
 * (re-plans on), and the faults of a {@link ChaosPlan} done to its devices and its central node
 * while it trains. One fault at a time: the next waits until the last is undone (the device
 * rebooted, resumed, its link up, the broker listening again), so that the run's other devices are
 * there for the job to recover on, and the job has devices to hit.
 */
public final class ChaosRun {
    /** How long a rebooting gateway is away. */
    static final long REBOOT_MILLIS = 3_000;
    /** Stalls and outages last past the central node's heartbeat timeout. */
    static final long STALL_MILLIS = ExtensionConfig.DEFAULT_HEARTBEAT_TIMEOUT_MILLIS + 2_000;
    static final long ECHO_MILLIS = 10_000;
    /** How long a broker fault waits for a re-plan before it kills a device to bring on a recovery. */
    static final long REPLAN_PATIENCE_MILLIS = 15_000;
    /** What a broker fault's {@link Injected#when} says. */
    public static final String DURING_REPLAN = "during a re-plan";
    public static final String DURING_RECOVERY = "during a recovery";
    public static final String MID_TRAINING = "mid-training (no layout change came)";
    /** How long a due fault waits for the job to train on as many devices as it hits. */
    private static final double PATIENCE_SECONDS = 60;
    /** Time for heartbeats to report the refusals of the last echoed copies. */
    private static final long HEARTBEAT_SETTLE_MILLIS = 2_000;
    private static final long JOB_HOURS = 6;

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
     * @param devices   the victims, in the order hit (none for an echo or a broker kill)
     * @param echoed    for an echo: copies published to devices' inputs; {@code refused}: the
     *                  messages the devices refused meanwhile, from their heartbeats
     * @param when      for a broker kill: {@link #DURING_REPLAN}, {@link #DURING_RECOVERY} or
     *                  {@link #MID_TRAINING}; else empty
     */
    public record Injected(double atSeconds, ChaosPlan.Kind kind, List<String> devices, long echoed, long refused,
                           String when) {
        public Injected(double atSeconds, ChaosPlan.Kind kind, List<String> devices, long echoed, long refused) {
            this(atSeconds, kind, devices, echoed, refused, "");
        }

        Injected shifted(double seconds) {
            return new Injected(atSeconds + seconds, kind, devices, echoed, refused, when);
        }
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
        Injector injector = new Injector(setup, links, progress);
        try (BenchDevices devices = new BenchDevices(work.resolve("devices"))) {
            for (int i = 0; i < setup.slowdowns().size(); i++) {
                links.put("d" + i, new LoopbackLink("127.0.0.1", port));
            }
            injector.startedMillis = System.currentTimeMillis();
            try (ChaosCentral central = ChaosCentral.start(setup.job("chaos"), port, work.resolve("central"),
                    injector::onStatus)) {
                for (int i = 0; i < setup.slowdowns().size(); i++) {
                    devices.start("d" + i, Map.of("--broker-url", links.get("d" + i).uri(), "--heartbeat-millis",
                            FaultRun.HEARTBEAT_MILLIS, "--slowdown", String.valueOf(setup.slowdowns().get(i))));
                }
                return injector.run(central, devices, plan);
            }
        } finally {
            for (LoopbackLink link : links.values()) {
                link.close();
            }
        }
    }

    /** Does the faults to one job, one at a time, and undoes them on timers. */
    private static final class Injector {
        private final Setup setup;
        private final Map<String, LoopbackLink> links;
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
        /** The central node to kill once the next layout change starts (a re-plan's, a recovery's). */
        private final AtomicReference<Consumer<String>> onLayoutChange = new AtomicReference<>();
        private final List<String> paused = new CopyOnWriteArrayList<>();
        private final List<ChaosPlan.Fault> skipped = new CopyOnWriteArrayList<>();
        private volatile long startedMillis;
        private ChaosCentral central;
        private BenchDevices devices;
        /** The job's id, which {@code ftpipe broker --train} chose. */
        private volatile String job = "";
        /** The newest term the status told of. */
        private long term;
        /** The last event the status told of: a status repeats it until the next. */
        private String lastEvent = "";

        Injector(Setup setup, Map<String, LoopbackLink> links, Consumer<String> progress) {
            this.setup = setup;
            this.links = links;
            this.progress = progress;
            this.timeline = new Timeline(setup.batchSize() / setup.microBatches());
        }

        Result run(ChaosCentral central, BenchDevices devices, List<ChaosPlan.Fault> plan) throws Exception {
            this.central = central;
            this.devices = devices;
            try {
                for (ChaosPlan.Fault f : plan) {
                    if (awaitChance(f)) {
                        inject(f);
                    } else if (ended()) {
                        break;
                    }
                }
                long deadline = System.currentTimeMillis() + TimeUnit.HOURS.toMillis(JOB_HOURS);
                while (!ended() && System.currentTimeMillis() < deadline) {
                    Thread.sleep(500);
                }
                awaitUndone();
                Optional<JobReport> report = central.report();
                if (report.isEmpty()) {
                    String error = central.failure().orElse("the job did not end within " + JOB_HOURS + " hours");
                    return new Result(null, error, timeline, List.copyOf(injected), List.copyOf(skipped));
                }
                // On the report's clock, so that faults line up with its recoveries exactly.
                double shift = (startedMillis - report.get().startedMillis()) / 1e3;
                return new Result(report.get(), null, timeline, injected.stream().map(i -> i.shifted(shift))
                        .sorted(Comparator.comparingDouble(Injected::atSeconds)).toList(), List.copyOf(skipped));
            } finally {
                timers.shutdownNow();
                for (String d : paused) {
                    devices.signal(d, "CONT");
                }
                links.values().forEach(LoopbackLink::up);
            }
        }

        private boolean ended() throws java.io.IOException {
            return central.report().isPresent() || central.failure().isPresent();
        }

        private double now() {
            return (System.currentTimeMillis() - startedMillis) / 1e3;
        }

        /**
         * Waits until the fault is due, the last one is undone, and the job trains on as many devices
         * as the fault hits; false if the job ended first, or if it trained on too few for
         * {@link #PATIENCE_SECONDS} (the fault is then skipped, and counted).
         */
        private boolean awaitChance(ChaosPlan.Fault f) throws Exception {
            while (!ended()) {
                if (now() >= f.atSeconds() && undoing.get() == 0 && !recovering.get()) {
                    if (jobDevices.get().size() >= Math.max(1, f.kind().victims())) {
                        return true;
                    }
                    if (now() > f.atSeconds() + PATIENCE_SECONDS) {
                        progress.accept(String.format("%.1fs: %s skipped: the job trains on %s", now(),
                                f.kind().label(), jobDevices.get()));
                        skipped.add(f);
                        return false;
                    }
                }
                Thread.sleep(200);
            }
            return false;
        }

        private void awaitUndone() throws InterruptedException {
            while (undoing.get() > 0) {
                Thread.sleep(100);
            }
        }

        private void inject(ChaosPlan.Fault f) throws Exception {
            List<String> onJob = jobDevices.get();
            String victim = f.victim(onJob, 0);
            double at = now();
            undoing.incrementAndGet();
            switch (f.kind()) {
                case KILL -> {
                    devices.kill(List.of(victim));
                    later(REBOOT_MILLIS, () -> devices.restart(victim));
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
                    long refusedBefore = central.refused();
                    Echo echo = Echo.start(central.uri(), "chaos-echo-" + injected.size(), job);
                    later(ECHO_MILLIS, () -> {
                        echo.close();
                        Thread.sleep(HEARTBEAT_SETTLE_MILLIS);
                        done(at, f.kind(), List.of(), echo.toDevices(), central.refused() - refusedBefore);
                    });
                }
                case DURING_RECOVERY -> {
                    String second = f.victim(onJob, 1);
                    undoing.incrementAndGet();
                    onBroken.set(() -> pause(second));
                    // Should the job never notice (it always has), the second pause is off.
                    timers.schedule(() -> {
                        if (onBroken.getAndSet(null) != null) {
                            undoing.decrementAndGet();
                        }
                    }, STALL_MILLIS * 4, TimeUnit.MILLISECONDS);
                    devices.kill(List.of(victim));
                    later(REBOOT_MILLIS, () -> devices.restart(victim));
                    done(at, f.kind(), List.of(victim, second), 0, 0);
                }
                case BROKER -> {
                    onLayoutChange.set(this::killCentral);
                    // Re-plans are rare in a long job: a device killed brings on a recovery instead.
                    timers.schedule(() -> {
                        if (onLayoutChange.get() != null) {
                            provokeRecovery(victim);
                        }
                    }, REPLAN_PATIENCE_MILLIS, TimeUnit.MILLISECONDS);
                    timers.schedule(() -> {
                        if (onLayoutChange.getAndSet(null) != null) {
                            killCentral(MID_TRAINING);
                        }
                    }, 2 * REPLAN_PATIENCE_MILLIS, TimeUnit.MILLISECONDS);
                }
            }
            progress.accept(String.format("%.1fs: %s %s", at, f.kind().label(), switch (f.kind()) {
                case ECHO -> "of the job's stage messages";
                case BROKER -> "at the next re-plan or recovery";
                default -> victim;
            }));
        }

        /** A device killed (and rebooted) so that the job recovers, and a broker fault finds a layout change. */
        private void provokeRecovery(String device) {
            try {
                undoing.incrementAndGet();
                devices.kill(List.of(device));
                later(REBOOT_MILLIS, () -> devices.restart(device));
                progress.accept(String.format("%.1fs: no re-plan came; killed %s to bring on a recovery", now(),
                        device));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** On the timers' thread: the status watcher's own thread must not close its client. */
        private void killCentral(String when) {
            double at = now();
            try {
                central.killAndRestart();
                progress.accept(String.format("%.1fs: killed the central node %s; it listens again after %.1f s", at,
                        when, now() - at));
                injected.add(new Injected(at, ChaosPlan.Kind.BROKER, List.of(), 0, 0, when));
            } catch (Exception e) {
                progress.accept("could not restart the central node: " + e);
            } finally {
                undoing.decrementAndGet();
            }
        }

        private void pause(String device) {
            try {
                devices.signal(device, "STOP");
                paused.add(device);
            } catch (Exception e) {
                progress.accept("could not pause " + device + ": " + e);
                undoing.decrementAndGet();
                return;
            }
            later(STALL_MILLIS, () -> {
                devices.signal(device, "CONT");
                paused.remove(device);
            });
        }

        private void done(double at, ChaosPlan.Kind kind, List<String> victims, long echoed, long refused) {
            injected.add(new Injected(at, kind, victims, echoed, refused));
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

        /** On the status watcher's thread, for every status the job publishes (at every event, and each second). */
        void onStatus(StatusWatcher.Status s) {
            job = s.job();
            timeline.add(s.seconds(), s.done());
            // By the term, not its event: a status may carry a later event than its own.
            if (s.term() > term && !s.devices().isEmpty()) {
                term = s.term();
                jobDevices.set(s.devices());
                recovering.set(false);
            }
            if (s.lastEvent().equals(lastEvent)) {
                return;
            }
            lastEvent = s.lastEvent();
            progress.accept(String.format("%.1fs: %s", now(), lastEvent));
            boolean broken = lastEvent.contains(" broken: ");
            if (broken) {
                recovering.set(true);
                Runnable second = onBroken.getAndSet(null);
                if (second != null) {
                    second.run();
                }
            }
            if (broken || lastEvent.startsWith("re-planning")) {
                Consumer<String> kill = onLayoutChange.getAndSet(null);
                if (kill != null) {
                    timers.execute(() -> kill.accept(broken ? DURING_RECOVERY : DURING_REPLAN));
                }
            }
        }
    }
}
