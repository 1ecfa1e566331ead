package io.ftpipe.broker.dashboard;

/**
 * One line of the dashboard's event list.
 *
 * @param kind {@code join} and {@code offline} (a device's), {@code failure} (devices a job lost),
 *             {@code recovery}, {@code plan} (a term's layout), {@code replan}, {@code epoch} or
 *             {@code job} (started, ended)
 * @param job  the job it belongs to; null for device events
 */
record LiveEvent(String kind, String job, String text) {
}
