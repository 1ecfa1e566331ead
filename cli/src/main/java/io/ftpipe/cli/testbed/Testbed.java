package io.ftpipe.cli.testbed;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Device hosts on this machine that are as separate as it allows: each in a network namespace of
 * its own, with its own address, joined to the broker's side by a link shaped both ways, its
 * processes in a CPU cgroup with its own quota. Rates and quotas can change while it runs. Needs
 * root. Everything it makes is named with {@link Names#PREFIX} and removed when it closes, and a
 * new testbed first removes what an earlier one that died left behind.
 */
public final class Testbed implements AutoCloseable {
    private final Network network;
    private final CpuQuotas quotas;
    private final List<HostSpec> hosts;
    /** Removes the testbed if the JVM ends before it is closed (Ctrl-C, SIGTERM). */
    private final Thread onExit = new Thread(this::closeQuietly, "testbed-cleanup");
    private boolean closed;

    private Testbed(Network network, CpuQuotas quotas, List<HostSpec> hosts) {
        this.network = network;
        this.quotas = quotas;
        this.hosts = new ArrayList<>(hosts);
    }

    /**
     * Builds a testbed of {@code hosts}.
     *
     * @throws TestbedException if this process is not root, or the machine lacks what it needs
     */
    public static Testbed up(List<HostSpec> hosts) throws TestbedException {
        requireRoot();
        if (hosts.isEmpty() || hosts.size() > Names.MAX_HOSTS) {
            throw new TestbedException("a testbed has 1 to " + Names.MAX_HOSTS + " hosts, not " + hosts.size());
        }
        try {
            Testbed t = new Testbed(new Network(Shell.SYSTEM), CpuQuotas.ofSystem(), hosts);
            t.removeLeftovers();
            Runtime.getRuntime().addShutdownHook(t.onExit);
            try {
                t.build();
            } catch (IOException | RuntimeException e) {
                t.close();
                throw e;
            }
            return t;
        } catch (IOException e) {
            throw new TestbedException("cannot build the testbed: " + e.getMessage());
        }
    }

    /** Removes whatever a testbed made, running or left behind by one that died. */
    public static void down() throws TestbedException {
        requireRoot();
        try {
            new Testbed(new Network(Shell.SYSTEM), CpuQuotas.ofSystem(), List.of()).removeLeftovers();
        } catch (IOException e) {
            throw new TestbedException("cannot remove the testbed: " + e.getMessage());
        }
    }

    /**
     * The hosts' links are shaped at once; their CPU quotas wait for {@link #limitCpus}: a gateway's
     * device process starts long before a job, and a JVM starting on a tenth of a core would take
     * minutes over what a real gateway did at boot.
     */
    private void build() throws IOException {
        network.createBridge();
        for (int h = 0; h < hosts.size(); h++) {
            network.addHost(h, hosts.get(h).mbit());
            quotas.create(h, 0);
        }
    }

    /** Puts every host on its CPU quota (once its processes have started). */
    public synchronized void limitCpus() throws IOException {
        for (int h = 0; h < hosts.size(); h++) {
            quotas.set(h, hosts.get(h).cpus());
        }
    }

    /** The processes (with their groups) first: nothing of the testbed's runs on without its network. */
    private void removeLeftovers() throws IOException {
        quotas.removeAll();
        network.removeAll();
    }

    public int size() {
        return hosts.size();
    }

    public HostSpec host(int h) {
        return hosts.get(h);
    }

    /** Where device hosts reach the broker. */
    public String brokerAddress() {
        return Names.brokerAddress();
    }

    public String address(int host) {
        return Names.address(host);
    }

    /**
     * {@code command} as it must be started to run on host {@code host}: in its CPU group from its
     * first instruction on (a shell joins the group, then becomes the rest), and in its namespace.
     * The group is joined first: {@code ip netns exec} mounts a sysfs of the namespace's own, in which
     * the cgroup hierarchy is not to be found.
     */
    public List<String> onHost(int host, List<String> command) {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", "echo $$ > " + quotas.procs(host)
                + " && exec \"$@\"", "sh"));
        argv.addAll(Network.inside(host, command.toArray(String[]::new)));
        return argv;
    }

    /** Changes host {@code host}'s link rate (both ways) while it runs. */
    public synchronized void setRate(int host, double mbit) throws IOException {
        network.shape(host, mbit);
        hosts.set(host, new HostSpec(hosts.get(host).cpus(), mbit));
    }

    /** Changes host {@code host}'s CPU quota while it runs. */
    public synchronized void setCpus(int host, double cpus) throws IOException {
        quotas.set(host, cpus);
        hosts.set(host, new HostSpec(cpus, hosts.get(host).mbit()));
    }

    /** Removes everything, killing the hosts' processes that are still running. */
    @Override
    public synchronized void close() throws IOException {
        if (!closed) {
            closed = true;
            try {
                Runtime.getRuntime().removeShutdownHook(onExit);
            } catch (IllegalStateException exiting) {
                // Called by the hook itself.
            }
            removeLeftovers();
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (IOException e) {
            System.err.println("ftpipe: could not remove the testbed: " + e.getMessage()
                    + "; run 'ftpipe testbed down'");
        }
    }

    private static void requireRoot() throws TestbedException {
        String user = System.getProperty("user.name");
        if (!"root".equals(user)) {
            throw new TestbedException("the testbed needs root (network namespaces, tc, cgroups): run it as root "
                    + "or with sudo");
        }
    }
}
