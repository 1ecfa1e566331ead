package io.ftpipe.broker.central;

/**
 * How long a job waits: for devices (to join, load their stages, send their weights) and for
 * progress (a drain), before it counts the wait as failed.
 */
record JobTimeouts(long devicesMillis, long stallMillis) {
}
