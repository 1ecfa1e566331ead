package io.ftpipe.cli.testbed;

import java.io.IOException;
import java.util.List;

/** What of a testbed exists on this machine now, read from the system itself (nothing is kept). */
public final class TestbedStatus {
    private TestbedStatus() {
    }

    public static String describe() throws IOException {
        Shell shell = Shell.SYSTEM;
        StringBuilder b = new StringBuilder();
        List<String> namespaces = shell.run(List.of("ip", "netns", "list")).lines()
                .map(l -> l.split("\\s+")[0]).filter(n -> n.startsWith(Names.PREFIX + "-")).sorted().toList();
        List<String> links = new Network(shell).links();
        String cgroups = CpuQuotas.ofSystem().describe();
        if (namespaces.isEmpty() && links.isEmpty() && cgroups.isEmpty()) {
            return "no testbed\n";
        }
        b.append("links: ").append(links).append('\n');
        for (String line : shell.run(List.of("tc", "qdisc", "show")).lines().toList()) {
            if (line.contains(Names.PREFIX + "-")) {
                b.append("  ").append(line.strip()).append('\n');
            }
        }
        for (String ns : namespaces) {
            b.append(ns).append(": ");
            b.append(shell.run(List.of("ip", "netns", "exec", ns, "ip", "-o", "-4", "addr", "show")).lines()
                    .filter(l -> l.contains(Names.PREFIX)).map(String::strip).findFirst().orElse("no address"));
            b.append('\n');
        }
        b.append(cgroups);
        return b.toString();
    }
}
