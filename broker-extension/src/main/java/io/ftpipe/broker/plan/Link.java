package io.ftpipe.broker.plan;

/**
 * The network between devices: a bandwidth per pair plus a fixed per-message latency.
 *
 * @param bandwidth     bytes per millisecond between two device ids
 * @param latencyMillis fixed cost of every message, whatever its size
 */
public record Link(Bandwidth bandwidth, double latencyMillis) {

    public Link {
        if (bandwidth == null) {
            throw new IllegalArgumentException("bandwidth must not be null");
        }
        if (!(latencyMillis >= 0) || Double.isInfinite(latencyMillis)) {
            throw new IllegalArgumentException("latencyMillis must be finite and >= 0, got " + latencyMillis);
        }
    }

    public static Link uniform(double bytesPerMilli, double latencyMillis) {
        return new Link(Bandwidth.uniform(bytesPerMilli), latencyMillis);
    }

    /**
     * Time one boundary keeps the link busy per micro-batch: the activation goes forward and a
     * gradient of the same size comes back, each a message of its own.
     */
    public double roundTripMillis(String from, String to, long bytes) {
        return roundTripMillis(rate(from, to), rate(to, from), bytes);
    }

    /**
     * The same cost from rates already looked up, so that a planner may cache them per device pair
     * and still agree with {@link #roundTripMillis(String, String, long)} to the last bit.
     */
    double roundTripMillis(double outRate, double backRate, long bytes) {
        return bytes / outRate + bytes / backRate + 2 * latencyMillis;
    }

    double rate(String from, String to) {
        double rate = bandwidth.bytesPerMilli(from, to);
        if (!(rate > 0)) {
            throw new IllegalArgumentException(
                    "bandwidth " + from + " -> " + to + " must be > 0 bytes/ms, got " + rate);
        }
        return rate;
    }
}
