package io.ftpipe.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Groups the benchmarks; it has no work of its own. */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        description = "Measure how fast this machine runs the models.",
        subcommands = {BenchComputeCommand.class, BenchCodecCommand.class, BenchPipelineCommand.class,
                BenchHeteroCommand.class, BenchFaultsCommand.class, BenchEdgeCommand.class,
                BenchImportCommand.class, BenchPlannerCommand.class, BenchScaleCommand.class,
                BenchChaosCommand.class})
public final class BenchCommand implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing benchmark: "
                + String.join(" | ", spec.subcommands().keySet()));
    }
}
