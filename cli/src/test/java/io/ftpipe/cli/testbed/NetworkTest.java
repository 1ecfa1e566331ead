package io.ftpipe.cli.testbed;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NetworkTest {
    /** Records what would run; answers listings with what a machine with leftovers would print. */
    private static final class Recording implements Shell {
        final List<List<String>> ran = new ArrayList<>();

        @Override
        public String run(List<String> argv) {
            ran.add(argv);
            if (argv.equals(List.of("ip", "netns", "list"))) {
                return "ftpb-h1 (id: 3)\nother\nftpb-h0 (id: 2)\n";
            }
            if (argv.equals(List.of("ip", "-o", "link", "show"))) {
                return "1: lo: <LOOPBACK,UP>\n7: ftpb-br: <BROADCAST>\n9: ftpb-h3b@if8: <BROADCAST>\n10: eth0: <UP>\n";
            }
            return "";
        }
    }

    @Test
    void aHostGetsItsNamespaceAddressAndALinkShapedBothWays() throws Exception {
        Recording shell = new Recording();
        new Network(shell).addHost(2, 20);
        assertTrue(shell.ran.contains(List.of("ip", "netns", "add", "ftpb-h2")));
        assertTrue(shell.ran.contains(List.of("ip", "link", "add", "ftpb-h2b", "type", "veth", "peer", "name",
                "ftpb-h2d")));
        assertTrue(shell.ran.contains(List.of("ip", "netns", "exec", "ftpb-h2", "ip", "addr", "add", "10.77.0.12/24",
                "dev", "ftpb-h2d")));
        assertTrue(shell.ran.contains(List.of("tc", "qdisc", "replace", "dev", "ftpb-h2b", "root", "tbf", "rate",
                "20000kbit", "burst", "250000", "latency", "50ms")), "what the device receives");
        assertTrue(shell.ran.contains(List.of("ip", "netns", "exec", "ftpb-h2", "tc", "qdisc", "replace", "dev",
                "ftpb-h2d", "root", "tbf", "rate", "20000kbit", "burst", "250000", "latency", "50ms")),
                "what the device sends");
    }

    @Test
    void aSlowLinkStillBurstsSomeFrames() {
        assertEquals("65536", Network.tbf(List.of(), "x", 1).get(10));
    }

    @Test
    void removingFindsEverythingOfTheTestbedAndNothingElse() throws Exception {
        Recording shell = new Recording();
        new Network(shell).removeAll();
        List<List<String>> deletes = shell.ran.stream().filter(a -> a.contains("del")).toList();
        assertEquals(List.of(List.of("ip", "netns", "del", "ftpb-h1"), List.of("ip", "netns", "del", "ftpb-h0"),
                List.of("ip", "link", "del", "ftpb-br"), List.of("ip", "link", "del", "ftpb-h3b")), deletes);
    }

    @Test
    void interfaceNamesFitLinux() {
        assertTrue(Names.hostEnd(Names.MAX_HOSTS - 1).length() <= 15);
        assertTrue(Names.deviceEnd(Names.MAX_HOSTS - 1).length() <= 15);
    }
}
