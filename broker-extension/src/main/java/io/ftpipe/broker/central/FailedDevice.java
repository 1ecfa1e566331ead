package io.ftpipe.broker.central;

/**
 * A device that failed in a job, and whether it has come back since. A device that restarted
 * says hello again; one that was only paused (a stalled gateway, a process stopped and resumed) or
 * cut off and reconnected with its session does not, but once it is heard again and holds no
 * stage of the job any more (the job told it to stop), it is as good as new. Pure.
 *
 * @param termStartMillis when the term it failed in began: a hello after it is a restart
 * @param detectedMillis  when its failure was found: a heartbeat after it is the device heard again
 */
record FailedDevice(long termStartMillis, long detectedMillis) {

    boolean cameBack(DeviceRegistry.Device d, String job) {
        if (d.joinedMillis() > termStartMillis) {
            return true;
        }
        return d.lastSeenMillis() > detectedMillis && d.lastHeartbeat() != null
                && !job.equals(d.lastHeartbeat().activity().job());
    }
}
