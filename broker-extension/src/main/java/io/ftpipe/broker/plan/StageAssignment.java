package io.ftpipe.broker.plan;

/** A stage before it is costed: units {@code [from, to)} go to {@code device}. */
public record StageAssignment(String device, int from, int to) {
}
