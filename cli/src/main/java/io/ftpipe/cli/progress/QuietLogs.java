package io.ftpipe.cli.progress;

import ch.qos.logback.classic.Level;
import org.slf4j.LoggerFactory;

/**
 * Keeps log lines from tearing a progress display: below warnings, loggers under a name are
 * silenced in logback, the slf4j backend the cli runs with (HiveMQ CE's). Those of the central
 * node's classes not on slf4j yet reach logback too, through the bridge from the JDK's logging
 * that HiveMQ installs when its embedded broker starts, before any of them runs in this process.
 */
public final class QuietLogs {
    private QuietLogs() {
    }

    /** The central node's job events, which a job's display already shows as lines and in its report. */
    public static void jobEvents() {
        warningsOnly("io.ftpipe.broker.central");
    }

    /** Everything of ftpipe's, for the benchmarks, which print their own account of each run. */
    public static void all() {
        warningsOnly("io.ftpipe");
    }

    private static void warningsOnly(String name) {
        if (LoggerFactory.getLogger(name) instanceof ch.qos.logback.classic.Logger logger) {
            logger.setLevel(Level.WARN);
        }
    }
}
