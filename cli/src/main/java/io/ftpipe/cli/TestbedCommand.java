package io.ftpipe.cli;

import io.ftpipe.cli.testbed.HostSpec;
import io.ftpipe.cli.testbed.Names;
import io.ftpipe.cli.testbed.Testbed;
import io.ftpipe.cli.testbed.TestbedStatus;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ftpipe testbed up|down|status}: device hosts as network namespaces with shaped links and
 * CPU quotas, for running devices as separate hosts by hand; {@code bench edge} builds its own.
 */
@Command(name = "testbed", mixinStandardHelpOptions = true,
        description = "Device hosts on this machine: network namespaces with shaped links and CPU quotas (root).",
        subcommands = {TestbedCommand.Up.class, TestbedCommand.Down.class, TestbedCommand.Status.class})
public final class TestbedCommand implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: up | down | status");
    }

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = "Build the hosts (removing an earlier testbed's leftovers first); it stays until 'down'.")
    static final class Up implements Callable<Integer> {
        @CommandLine.Spec
        private CommandLine.Model.CommandSpec spec;
        @Option(names = "--cpus", split = ",", required = true, paramLabel = "CORES",
                description = "each host's CPU quota in cores, e.g. 0.4,0.4,0.04; one host per value")
        List<Double> cpus;
        @Option(names = "--mbit", split = ",", paramLabel = "RATE",
                description = "each host's link rate in Mbit/s, both ways (default: 1000 for every host)")
        List<Double> mbit = List.of();

        @Override
        public Integer call() throws Exception {
            if (!mbit.isEmpty() && mbit.size() != cpus.size()) {
                throw new CommandLine.ParameterException(spec.commandLine(), cpus.size() + " quotas but "
                        + mbit.size() + " link rates");
            }
            List<HostSpec> hosts = new ArrayList<>();
            for (int h = 0; h < cpus.size(); h++) {
                try {
                    hosts.add(new HostSpec(cpus.get(h), mbit.isEmpty() ? 1000 : mbit.get(h)));
                } catch (IllegalArgumentException e) {
                    throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
                }
            }
            Testbed t = Testbed.up(hosts);
            var out = spec.commandLine().getOut();
            out.println("testbed up: the broker's side is " + t.brokerAddress() + " (" + Names.BRIDGE + ")");
            for (int h = 0; h < t.size(); h++) {
                out.printf("  %s  %s  %.2f cores  %.0f Mbit/s  run: %s%n", Names.namespace(h), t.address(h),
                        t.host(h).cpus(), t.host(h).mbit(), String.join(" ", t.onHost(h, List.of("COMMAND"))));
            }
            return 0;
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true, description = "Remove every namespace, link and cgroup "
            + "of the testbed.")
    static final class Down implements Callable<Integer> {
        @CommandLine.Spec
        private CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Testbed.down();
            spec.commandLine().getOut().println("testbed down");
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "What of the testbed exists now.")
    static final class Status implements Callable<Integer> {
        @CommandLine.Spec
        private CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            var out = spec.commandLine().getOut();
            out.print(TestbedStatus.describe());
            out.flush();
            return 0;
        }
    }
}
