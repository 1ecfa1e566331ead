package io.ftpipe.broker.central;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The devices that failed in a job, each until it has come back ({@link FailedDevice}) or the job
 * has taken it into a term again. Once taken in, it is one of the job's devices like any other:
 * its heartbeats name the job's stage, which for a device that failed and was never taken back
 * would mean it still holds its old one. Pure.
 */
final class FailedDevices {
    private final Map<String, FailedDevice> failed = new HashMap<>();

    /** {@code device} failed in the term that began at {@code termStartMillis}, found at {@code detectedMillis}. */
    void failed(String device, long termStartMillis, long detectedMillis) {
        failed.put(device, new FailedDevice(termStartMillis, detectedMillis));
    }

    /** A term of the job holds these devices. */
    void takenIn(Collection<String> devices) {
        devices.forEach(failed::remove);
    }

    /** May the job use {@code device}, as the registry last {@code seen} it? */
    boolean usable(String device, Optional<DeviceRegistry.Device> seen, String job) {
        FailedDevice f = failed.get(device);
        return f == null || seen.map(d -> f.cameBack(d, job)).orElse(false);
    }
}
