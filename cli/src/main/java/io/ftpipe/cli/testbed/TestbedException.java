package io.ftpipe.cli.testbed;

/** The testbed cannot be built or removed here; the message says why in one line. */
public final class TestbedException extends Exception {
    public TestbedException(String message) {
        super(message);
    }
}
