package io.ftpipe.cli;

import ai.onnxruntime.OrtException;
import io.ftpipe.broker.central.JobFailedException;
import io.ftpipe.broker.configuration.InvalidConfigurationException;
import io.ftpipe.zoo.data.DataException;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * How failures reach the user: one line on stderr naming the command, and picocli's exit codes
 * (2 for a bad command line, 1 for a run that failed). Stack traces are kept for real bugs only.
 *
 * <p>It is a model transformer because picocli applies those inside the {@code CommandLine}
 * constructor: naming it in {@link FtpipeMain}'s annotation is enough for every
 * {@code new CommandLine(new FtpipeMain())} to report errors the same way.
 */
public final class ErrorReporting implements CommandLine.IModelTransformer {

    @Override
    public CommandSpec transform(CommandSpec spec) {
        spec.commandLine()
                .setParameterExceptionHandler(ErrorReporting::usageError)
                .setExecutionExceptionHandler(ErrorReporting::runFailed);
        return spec;
    }

    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        String name = cmd.getCommandSpec().qualifiedName();
        StringBuilder line = new StringBuilder(name).append(": ").append(e.getMessage());
        if (e instanceof CommandLine.UnmatchedArgumentException u) {
            List<String> suggestions = u.getSuggestions();
            if (!suggestions.isEmpty()) {
                line.append(" (did you mean ").append(String.join(" or ", suggestions)).append("?)");
            }
        }
        line.append("; see '").append(name).append(" --help'");
        PrintWriter err = cmd.getErr();
        err.println(line);
        err.flush();
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    private static int runFailed(Exception thrown, CommandLine cmd, CommandLine.ParseResult parsed) {
        Exception e = unwrapped(thrown);
        PrintWriter err = cmd.getErr();
        String name = cmd.getCommandSpec().qualifiedName();
        if (isUserFacing(e)) {
            err.println(name + ": " + message(e));
        } else {
            err.println(name + ": internal error, please report it with this trace:");
            e.printStackTrace(err);
        }
        err.flush();
        return cmd.getCommandSpec().exitCodeOnExecutionException();
    }

    /**
     * Errors whose message already says what is wrong and how to fix it (bad model name, too many
     * stages, missing data, a bad configuration file, a port in use, unwritable report path, ONNX
     * Runtime refusing a graph, a job that failed for a reason of the fleet's).
     */
    private static boolean isUserFacing(Exception e) {
        return e instanceof IllegalArgumentException || e instanceof DataException
                || e instanceof InvalidConfigurationException || e instanceof IOException
                || e instanceof UncheckedIOException || e instanceof OrtException
                || e instanceof JobFailedException || e instanceof Preflight.PortInUseException
                || e instanceof java.util.concurrent.TimeoutException
                || e instanceof io.ftpipe.cli.testbed.TestbedException
                || e instanceof io.ftpipe.zoo.importer.ImportException;
    }

    /** A job's own exception, not the future's wrapper around it. */
    private static Exception unwrapped(Exception e) {
        Throwable t = e;
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof Exception x ? x : e;
    }

    private static String message(Exception e) {
        String message = e.getMessage();
        if (e instanceof IOException && !(e.getClass() == IOException.class)) {
            // NoSuchFileException and friends carry only the path as their message.
            return e.getClass().getSimpleName() + ": " + message;
        }
        return message == null ? e.toString() : message;
    }
}
