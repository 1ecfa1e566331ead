package io.ftpipe.cli;

import io.ftpipe.broker.central.JobFailedException;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ErrorReportingTest {
    /** A command whose job fails on the job's thread, as a job on the central node does. */
    @CommandLine.Command(name = "job", modelTransformer = ErrorReporting.class)
    static final class FailingJob implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            return CompletableFuture.<Integer>supplyAsync(() -> {
                throw new JobFailedException("only 1 of 3 devices joined within 60 s [d0]; start more devices");
            }).get();
        }
    }

    @CommandLine.Command(name = "bug", modelTransformer = ErrorReporting.class)
    static final class Bug implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new NullPointerException("a bug");
        }
    }

    @Test
    void aJobThatFailedForTheFleetsReasonIsOneLineNotATrace() {
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new FailingJob());
        cmd.setErr(new PrintWriter(err, true));
        assertEquals(1, cmd.execute());
        assertEquals("job: only 1 of 3 devices joined within 60 s [d0]; start more devices", err.toString().strip());
    }

    @Test
    void aBugStillShowsItsTrace() {
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new Bug());
        cmd.setErr(new PrintWriter(err, true));
        assertEquals(1, cmd.execute());
        assertTrue(err.toString().contains("internal error") && err.toString().contains("NullPointerException"), err.toString());
    }
}
