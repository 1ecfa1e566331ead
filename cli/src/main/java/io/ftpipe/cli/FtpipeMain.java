package io.ftpipe.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ftpipe} command: only wires the subcommands. Error handling is attached through
 * {@link ErrorReporting} in the annotation, so {@code new CommandLine(new FtpipeMain())} behaves
 * the same in {@link #main} and in tests; only {@code main} may exit the JVM.
 */
@Command(name = "ftpipe",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        modelTransformer = ErrorReporting.class,
        description = "Pipeline-parallel training of small models on ONNX Runtime.",
        subcommands = {TrainLocalCommand.class, DemoCommand.class, BrokerCommand.class, CentralCommand.class,
                DeviceCommand.class, BenchCommand.class, HashPasswordCommand.class, MosquittoConfigCommand.class,
                TestbedCommand.class, InspectCommand.class})
public final class FtpipeMain implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new FtpipeMain()).execute(args));
    }

    /** Without a subcommand there is nothing to do: say what there is. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: "
                + String.join(" | ", spec.subcommands().keySet()));
    }
}
