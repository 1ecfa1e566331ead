package io.ftpipe.broker.coap;

/**
 * A request the management API refuses. {@code reason} is a short, stable word for counting
 * ({@link RequestRejections}); the message says, for the operator, what is wrong.
 */
public final class BadRequest extends Exception {
    static final String MALFORMED_JSON = "malformed_json";
    static final String UNKNOWN_KEY = "unknown_key";
    static final String BAD_VALUE = "bad_value";

    private final String reason;

    BadRequest(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
