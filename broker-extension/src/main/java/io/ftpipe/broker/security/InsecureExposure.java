package io.ftpipe.broker.security;

import io.ftpipe.broker.configuration.ExtensionConfig;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Which listeners would let anyone on the network in: with security off, every listener bound
 * beyond loopback. Through the MQTT listener anyone may join as a device, receive stage graphs and
 * training data, publish on the {@code .../cmd} topics or poison the training; through CoAP or the
 * dashboard, submit and stop jobs. {@code ftpipe broker} refuses to start with any of them (unless
 * {@code --insecure}); a drop-in, whose HiveMQ binds what its {@code config.xml} says, logs the
 * risk at every start. Pure but for resolving host names.
 */
public final class InsecureExposure {
    /** How to close it, in every message that reports one. */
    public static final String HOW_TO_FIX = "turn on security with accounts in ftpipe-extension.json "
            + "(config/README.md#security), bind to 127.0.0.1, or pass --insecure on a network you trust";

    private InsecureExposure() {
    }

    /** A listener: what it serves ({@code "MQTT"}), its bind address and port. */
    public record Listener(String what, String bind, int port) {
        @Override
        public String toString() {
            return what + " on " + bind + ":" + port;
        }
    }

    /**
     * The listeners of {@code mqtt} and of the configuration's CoAP API and dashboard that are
     * exposed; none when security is on (the DTLS endpoint exists only then).
     */
    public static List<Listener> exposed(ExtensionConfig config, List<Listener> mqtt) {
        if (config.security().enabled()) {
            return List.of();
        }
        List<Listener> all = new ArrayList<>(mqtt);
        if (config.coapPort() != 0) {
            all.add(new Listener("CoAP management API", config.coapBind(), config.coapPort()));
        }
        if (config.httpPort() != 0) {
            all.add(new Listener("dashboard", config.httpBind(), config.httpPort()));
        }
        return all.stream().filter(l -> !isLoopback(l.bind())).toList();
    }

    /** The one line {@code ftpipe broker} refuses with, and the drop-in warns with. */
    public static String describe(List<Listener> exposed) {
        return "security is off and " + String.join(", ", exposed.stream().map(Listener::toString).toList())
                + (exposed.size() == 1 ? " is" : " are") + " reachable from the network: anyone there could join as "
                + "a device, read the training data, publish commands or submit and stop jobs; " + HOW_TO_FIX;
    }

    /** A name that does not resolve counts as exposed: better a refusal than an open broker. */
    static boolean isLoopback(String bind) {
        try {
            return InetAddress.getByName(bind).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
