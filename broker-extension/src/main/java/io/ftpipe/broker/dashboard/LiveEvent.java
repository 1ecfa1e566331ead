package io.ftpipe.broker.dashboard;

/**
 * One line of the dashboard's event list.
 *
 * @param kind {@code join}, {@code failure} (a device that was alive is not), {@code plan} (a
 *             term's layout), {@code replan}, {@code recovery}, {@code epoch} or {@code job}
 * @param job  the job it belongs to; null for device events
 */
record LiveEvent(String kind, String job, String text) {
}
