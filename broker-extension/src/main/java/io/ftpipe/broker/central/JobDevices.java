package io.ftpipe.broker.central;

import java.util.List;
import java.util.Map;

/**
 * One job's view of the fleet: the devices alive, those of them it may plan with (its own and the
 * free ones, never another job's), and its leases ({@link DeviceLeases}). Every part of a job that
 * picks devices asks here, so that no part of it can pick a device another job holds.
 */
final class JobDevices {
    private final String job;
    private final DeviceRegistry registry;
    private final DeviceLeases leases;
    private final long heartbeatTimeoutMillis;

    JobDevices(String job, DeviceRegistry registry, DeviceLeases leases, long heartbeatTimeoutMillis) {
        this.job = job;
        this.registry = registry;
        this.leases = leases;
        this.heartbeatTimeoutMillis = heartbeatTimeoutMillis;
    }

    /** Every device alive, whoever holds it (the registry's rule), in order of id. */
    List<String> alive() {
        return registry.alive(heartbeatTimeoutMillis);
    }

    /** The devices alive that this job may use: its own first, then the free ones. */
    List<String> usable() {
        return leases.usable(job, alive());
    }

    /**
     * The job's devices among {@code alive}, once it is first in the queue and enough are free;
     * until then, its place in the queue.
     */
    DeviceLeases.Claim claim(List<String> alive) {
        return leases.claim(job, alive);
    }

    /**
     * The job holds exactly {@code devices} from now on (a new term's).
     *
     * @throws PipelineBroken if another job took one of them since this job saw it free: the term
     *                        must not start, and a recovery plans again with the devices left
     */
    void hold(List<String> devices) throws PipelineBroken {
        Map<String, String> taken = leases.hold(job, devices);
        if (!taken.isEmpty()) {
            // No failure: the device is fine, only not this job's, and it may be free again later.
            throw new PipelineBroken(List.of(), "devices taken by other jobs meanwhile: " + taken);
        }
    }
}
