package io.ftpipe.broker.json;

/**
 * JSON that {@link JsonBinding} refuses. The message names the key as a path
 * ({@code security.devices[2].passwordHash}) and says what was expected; the caller adds where
 * the JSON came from (a file, a request body).
 */
public final class JsonBindingException extends Exception {

    /** What is wrong, for callers that answer each differently (the CoAP API's reasons). */
    public enum Kind {
        /** Not JSON at all, or a key given twice. The message starts with "is not valid JSON". */
        SYNTAX,
        /** A key the record does not have. */
        UNKNOWN_KEY,
        /** A value of the wrong type, {@code null}, or out of range. */
        BAD_VALUE
    }

    private final Kind kind;

    JsonBindingException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
