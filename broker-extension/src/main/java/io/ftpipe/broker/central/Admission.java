package io.ftpipe.broker.central;

import java.util.List;

/**
 * A new job's wait for its devices: in the queue ({@link DeviceLeases}) until it is first and
 * enough devices are free. Devices busy in other jobs are worth waiting for as long as it takes
 * (they come free when those jobs end); devices that never joined are not, so the job fails once
 * too few are alive at all for longer than the join timeout.
 */
final class Admission {
    /** How often a waiting job looks at the fleet: joins and other jobs' ends wake nobody. */
    static final long POLL_MILLIS = 100;

    private Admission() {
    }

    /**
     * @param joinMillis how long too few devices may be alive before the job fails
     * @return the devices the job now holds
     * @throws JobFailedException if the job was stopped while it waited, or too few devices joined
     */
    static List<String> await(JobState state, JobDevices devices, JobStatus status, long joinMillis)
            throws InterruptedException {
        int wanted = state.spec.devices();
        long deadline = state.clock.getAsLong() + joinMillis;
        int shown = 0;
        while (true) {
            synchronized (state) {
                if (state.failure != null) {
                    throw new JobFailedException(state.failure);
                }
            }
            // One view of the fleet for the claim and for the reason to wait, so the status never
            // says "queued" for a job that only waited for a device to join.
            List<String> alive = devices.alive();
            DeviceLeases.Claim claim = devices.claim(alive);
            if (claim.granted()) {
                status.queuedAt(0);
                status.event("devices " + claim.devices() + " chosen (alive: " + alive + ")");
                return claim.devices();
            }
            long now = state.clock.getAsLong();
            int position = claim.position();
            if (position == 0) {
                throw new IllegalStateException("job " + state.spec.id() + " waits for devices but is not queued");
            }
            boolean behindOthers = position > 1 || alive.size() >= wanted;
            if (alive.size() >= wanted) {
                // Enough devices exist, so the job waits for other jobs, for as long as they run.
                deadline = now + joinMillis;
            }
            int queued = behindOthers ? position : 0;
            // Waiting for devices to join says nothing new: a job that was never queued stays quiet.
            if (queued != shown) {
                shown = queued;
                status.queuedAt(queued);
                status.event(queued > 0 ? "queued at position " + queued + " for " + wanted + " devices ("
                        + claim.free() + " free of " + alive.size() + " alive)"
                        : "waiting for " + wanted + " devices to join (" + alive.size() + " alive)");
            }
            if (now > deadline) {
                throw new JobFailedException("only " + alive.size() + " of " + wanted + " devices joined within "
                        + joinMillis / 1000 + " s " + alive + "; start more devices (ftpipe device "
                        + "--broker-url ...) or ask for fewer (--devices)");
            }
            Thread.sleep(POLL_MILLIS);
        }
    }
}
