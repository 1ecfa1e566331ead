package io.ftpipe.cli.testbed;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The testbed's network: a bridge on the broker's side with the broker's address, and per device
 * host a network namespace joined to the bridge by a veth pair, its rate shaped both ways with a
 * token bucket ({@code tbf}: this machine has no {@code netem}, so latency exists only as queueing).
 */
final class Network {
    /** Queueing a shaped link allows before it drops: what a Wi-Fi access point buffers. */
    static final String QUEUE_LATENCY = "50ms";

    private final Shell shell;

    Network(Shell shell) {
        this.shell = shell;
    }

    void createBridge() throws IOException {
        shell.run(List.of("ip", "link", "add", Names.BRIDGE, "type", "bridge"));
        shell.run(List.of("ip", "addr", "add", Names.brokerAddress() + "/24", "dev", Names.BRIDGE));
        shell.run(List.of("ip", "link", "set", Names.BRIDGE, "up"));
    }

    void addHost(int host, double mbit) throws IOException {
        String ns = Names.namespace(host);
        shell.run(List.of("ip", "netns", "add", ns));
        shell.run(List.of("ip", "link", "add", Names.hostEnd(host), "type", "veth", "peer", "name",
                Names.deviceEnd(host)));
        shell.run(List.of("ip", "link", "set", Names.deviceEnd(host), "netns", ns));
        shell.run(List.of("ip", "link", "set", Names.hostEnd(host), "master", Names.BRIDGE));
        shell.run(List.of("ip", "link", "set", Names.hostEnd(host), "up"));
        shell.run(inside(host, "ip", "addr", "add", Names.address(host) + "/24", "dev", Names.deviceEnd(host)));
        shell.run(inside(host, "ip", "link", "set", Names.deviceEnd(host), "up"));
        shell.run(inside(host, "ip", "link", "set", "lo", "up"));
        shape(host, mbit);
    }

    /** Sets (or changes, while traffic flows) the host's link rate, both ways. */
    void shape(int host, double mbit) throws IOException {
        shell.run(tbf(List.of(), Names.hostEnd(host), mbit));
        shell.run(tbf(List.of("ip", "netns", "exec", Names.namespace(host)), Names.deviceEnd(host), mbit));
    }

    /**
     * {@code tc qdisc replace ... tbf}: the bucket holds a tenth of a second of the rate (at least a
     * few full-size frames), so a link bursts no more than a real one would.
     */
    static List<String> tbf(List<String> prefix, String dev, double mbit) {
        long bytesPerSecond = Math.round(mbit * 1e6 / 8);
        long burst = Math.max(64 * 1024, bytesPerSecond / 10);
        List<String> argv = new ArrayList<>(prefix);
        argv.addAll(List.of("tc", "qdisc", "replace", "dev", dev, "root", "tbf", "rate",
                Math.round(mbit * 1000) + "kbit", "burst", String.valueOf(burst), "latency", QUEUE_LATENCY));
        return argv;
    }

    /** Everything of the testbed's that exists now: namespaces and the bridge (the veths go with them). */
    void removeAll() throws IOException {
        for (String line : shell.run(List.of("ip", "netns", "list")).lines().toList()) {
            String ns = line.split("\\s+")[0];
            if (ns.startsWith(Names.PREFIX + "-")) {
                shell.run(List.of("ip", "netns", "del", ns));
            }
        }
        for (String link : links()) {
            try {
                shell.run(List.of("ip", "link", "del", link));
            } catch (IOException e) {
                // A veth goes with its peer's namespace, which the kernel removes in the background.
                if (links().contains(link)) {
                    throw e;
                }
            }
        }
    }

    /** The testbed's links in the broker's namespace. */
    List<String> links() throws IOException {
        List<String> found = new ArrayList<>();
        for (String line : shell.run(List.of("ip", "-o", "link", "show")).lines().toList()) {
            String[] parts = line.split(":\\s+");
            if (parts.length > 1) {
                String name = parts[1].split("@")[0];
                if (name.startsWith(Names.PREFIX + "-")) {
                    found.add(name);
                }
            }
        }
        return found;
    }

    /** A command run inside host {@code host}'s namespace. */
    static List<String> inside(int host, String... argv) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", Names.namespace(host)));
        all.addAll(List.of(argv));
        return all;
    }
}
