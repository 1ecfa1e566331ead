package io.ftpipe.cli.progress;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A progress display silences the central node's job events but keeps its warnings. */
class QuietLogsTest {
    private final Logger central = (Logger) LoggerFactory.getLogger("io.ftpipe.broker.central");
    private final Logger ftpipe = (Logger) LoggerFactory.getLogger("io.ftpipe");
    private final Level centralBefore = central.getLevel();
    private final Level ftpipeBefore = ftpipe.getLevel();

    @AfterEach
    void restore() {
        central.setLevel(centralBefore);
        ftpipe.setLevel(ftpipeBefore);
    }

    @Test
    void jobEventsGoQuietAndTheRestStays() {
        org.slf4j.Logger run = LoggerFactory.getLogger("io.ftpipe.broker.central.JobRun");
        org.slf4j.Logger broker = LoggerFactory.getLogger("io.ftpipe.broker.embedded.EmbeddedBroker");
        assertTrue(run.isInfoEnabled(), "the cli's logback logs INFO by default");

        QuietLogs.jobEvents();

        assertFalse(run.isInfoEnabled());
        assertTrue(run.isWarnEnabled());
        assertTrue(broker.isInfoEnabled());
    }

    @Test
    void benchmarksQuietAllOfFtpipe() {
        QuietLogs.all();

        assertFalse(LoggerFactory.getLogger("io.ftpipe.broker.embedded.EmbeddedBroker").isInfoEnabled());
        assertTrue(LoggerFactory.getLogger("io.ftpipe.device.DeviceAgent").isWarnEnabled());
    }
}
