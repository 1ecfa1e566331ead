package io.ftpipe.broker.plan;

/** Bytes per millisecond that one device can push to another; may differ per pair and direction. */
@FunctionalInterface
public interface Bandwidth {

    double bytesPerMilli(String from, String to);

    /** The same rate between every pair, for when nothing better has been measured. */
    static Bandwidth uniform(double bytesPerMilli) {
        return (from, to) -> bytesPerMilli;
    }
}
