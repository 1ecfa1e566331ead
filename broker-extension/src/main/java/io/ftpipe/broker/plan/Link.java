package io.ftpipe.broker.plan;

/**
 * The network: a bandwidth per pair of devices plus a fixed per-message latency, and the data the
 * central node feeds into the first stage, over that stage's device's link.
 *
 * @param bandwidth     bytes per millisecond between two device ids ({@link #FEEDER} for the central node)
 * @param latencyMillis fixed cost of every message, whatever its size
 * @param feedBytes     what the central node sends into the first stage per micro-batch
 */
public record Link(Bandwidth bandwidth, double latencyMillis, long feedBytes) {
    /** The central node's id as a sender: not a device id (a topic level cannot hold '#'). */
    public static final String FEEDER = "#central";

    public Link {
        if (bandwidth == null) {
            throw new IllegalArgumentException("bandwidth must not be null");
        }
        if (!(latencyMillis >= 0) || Double.isInfinite(latencyMillis)) {
            throw new IllegalArgumentException("latencyMillis must be finite and >= 0, got " + latencyMillis);
        }
        if (feedBytes < 0) {
            throw new IllegalArgumentException("feedBytes must be >= 0, got " + feedBytes);
        }
    }

    /** A network with nothing fed, or whose feed costs nothing worth planning for. */
    public Link(Bandwidth bandwidth, double latencyMillis) {
        this(bandwidth, latencyMillis, 0);
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

    /**
     * Time the first stage's device link takes to bring in one micro-batch's data: on a slow link
     * it bounds the first stage, whatever its compute (the central node feeds ahead, so the two
     * overlap).
     */
    double feedMillis(String device) {
        return feedBytes == 0 ? 0 : feedBytes / rate(FEEDER, device) + latencyMillis;
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
