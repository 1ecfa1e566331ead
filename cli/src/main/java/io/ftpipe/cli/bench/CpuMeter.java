package io.ftpipe.cli.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The CPU this JVM spends over a run, in all and in the central node's own threads. With an
 * embedded broker this JVM is the broker: its process CPU is HiveMQ's and the central node's
 * together, and the threads named {@value #CENTRAL_THREADS}* are the central node's alone (its
 * inbox, its jobs, its status and replica writers). A thread's CPU time is gone when the thread
 * ends (the job threads' pool lets idle ones go), so the threads are sampled while the run goes
 * on and each counts with the last time it was seen at.
 */
public final class CpuMeter implements AutoCloseable {
    static final String CENTRAL_THREADS = "ftpipe-";
    private static final long SAMPLE_MILLIS = 250;

    /** CPU seconds over the run's wall seconds: {@code cores} is their ratio, the cores kept busy on average. */
    public record Usage(double wallSeconds, double processCpuSeconds, double centralNodeCpuSeconds) {
        public double processCores() {
            return processCpuSeconds / wallSeconds;
        }

        public double centralNodeCores() {
            return centralNodeCpuSeconds / wallSeconds;
        }
    }

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
        // Not named like the central node's threads: the meter must not count itself.
        Thread t = new Thread(r, "cpu-meter");
        t.setDaemon(true);
        return t;
    });
    /** Per central-node thread id: its CPU nanoseconds when the run started, and when last seen. */
    private final Map<Long, long[]> seen = new HashMap<>();
    private final long startNanos = System.nanoTime();
    private final long startProcessCpu;

    public CpuMeter() {
        if (!threads.isThreadCpuTimeSupported()) {
            throw new IllegalStateException("this JVM cannot measure threads' CPU time");
        }
        threads.setThreadCpuTimeEnabled(true);
        startProcessCpu = os.getProcessCpuTime();
        sample(true);
        sampler.scheduleAtFixedRate(() -> sample(false), SAMPLE_MILLIS, SAMPLE_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** @param baseline the run starts now: what the threads spent so far is not the run's */
    private synchronized void sample(boolean baseline) {
        for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null || !info.getThreadName().startsWith(CENTRAL_THREADS)) {
                continue;
            }
            long cpu = threads.getThreadCpuTime(info.getThreadId());
            if (cpu >= 0) {
                // A thread first seen later started during the run: all its CPU is the run's.
                seen.computeIfAbsent(info.getThreadId(), id -> new long[]{baseline ? cpu : 0, cpu})[1] = cpu;
            }
        }
    }

    /** What was spent from the meter's creation until now. */
    public synchronized Usage usage() {
        sample(false);
        long central = seen.values().stream().mapToLong(s -> s[1] - s[0]).sum();
        return new Usage((System.nanoTime() - startNanos) / 1e9, (os.getProcessCpuTime() - startProcessCpu) / 1e9,
                central / 1e9);
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }
}
