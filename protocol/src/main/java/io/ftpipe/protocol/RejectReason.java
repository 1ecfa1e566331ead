package io.ftpipe.protocol;

/** Why a message was rejected; every rejection is logged and counted by reason. */
public enum RejectReason {
    MALFORMED,
    UNSUPPORTED_VERSION,
    UNKNOWN_TYPE,
    OVERSIZED,
    BAD_DTYPE,
    BAD_SHAPE,
    NON_FINITE,
    UNKNOWN_JOB,
    UNKNOWN_DEVICE,
    STALE_TERM,
    UNEXPECTED
}
