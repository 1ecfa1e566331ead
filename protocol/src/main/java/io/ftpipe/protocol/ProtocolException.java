package io.ftpipe.protocol;

/** A message that breaks the wire contract; carries the reason it is counted under. */
public final class ProtocolException extends RuntimeException {
    private final RejectReason reason;

    public ProtocolException(RejectReason reason, String detail) {
        super(reason + ": " + detail);
        this.reason = reason;
    }

    public RejectReason reason() {
        return reason;
    }
}
