package io.ftpipe.cli.testbed;

/**
 * What the testbed calls the things it makes: every namespace, link and cgroup starts with
 * {@link #PREFIX}, so that a later run finds and removes what a run that died left behind.
 * Interface names stay within Linux's 15 characters.
 */
public final class Names {
    public static final String PREFIX = "ftpb";
    /** The broker's side: the bridge every device host's link is plugged into. */
    public static final String BRIDGE = PREFIX + "-br";
    /** The /24 of the testbed; the bridge is .1, device host i is .(10 + i). */
    private static final String NETWORK = "10.77.0.";
    public static final int MAX_HOSTS = 200;

    private Names() {
    }

    public static String namespace(int host) {
        return PREFIX + "-h" + host;
    }

    /** The host's end of its link, on the bridge: shaping there limits what the device receives. */
    public static String hostEnd(int host) {
        return PREFIX + "-h" + host + "b";
    }

    /** The device's end of its link, inside its namespace: shaping there limits what it sends. */
    public static String deviceEnd(int host) {
        return PREFIX + "-h" + host + "d";
    }

    public static String brokerAddress() {
        return NETWORK + 1;
    }

    public static String address(int host) {
        if (host < 0 || host >= MAX_HOSTS) {
            throw new IllegalArgumentException("host " + host + " is outside 0.." + (MAX_HOSTS - 1));
        }
        return NETWORK + (10 + host);
    }

    /** The cgroup of a host's processes, under the testbed's own group. */
    public static String cgroup(int host) {
        return "h" + host;
    }
}
