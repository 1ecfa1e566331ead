package io.ftpipe.centralclient.mosquitto;

import io.ftpipe.protocol.Topics;

import java.util.ArrayList;
import java.util.List;

/**
 * The bridge lines of a site broker's {@code mosquitto.conf}: devices connect to the site broker,
 * the central node to a core broker, and the site forwards every ftpipe topic both ways over one
 * MQTT v5 connection to the core (docs/brokers.md#bridged-sites). Pure: it only makes the text.
 *
 * @param name           the connection's name, unique among the core's clients
 * @param coreHost       the core broker's address
 * @param corePort       its port
 * @param remoteUsername the bridge's account on the core, or null for an anonymous core
 * @param remotePassword its password, or null
 */
public record MosquittoBridge(String name, String coreHost, int corePort, String remoteUsername,
                              String remotePassword) {

    public MosquittoBridge {
        if (name == null || !name.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("a bridge's name is letters, digits, '-' and '_', got '" + name + "'");
        }
        if (corePort < 1 || corePort > 65535) {
            throw new IllegalArgumentException("the core broker's port must be 1 - 65535, got " + corePort);
        }
        if ((remoteUsername == null) != (remotePassword == null)) {
            throw new IllegalArgumentException("the bridge's account needs both a user name and a password");
        }
    }

    /** A bridge to an anonymous core broker. */
    public static MosquittoBridge anonymous(String name, String coreHost, int corePort) {
        return new MosquittoBridge(name, coreHost, corePort, null, null);
    }

    public List<String> lines() {
        List<String> l = new ArrayList<>();
        l.add("connection " + name);
        l.add("address " + coreHost + ":" + corePort);
        // MQTT v5 on the bridge too: message expiry and user properties survive the hop.
        l.add("bridge_protocol_version mqttv50");
        l.add("remote_clientid " + name);
        if (remoteUsername != null) {
            l.add("remote_username " + remoteUsername);
            l.add("remote_password " + remotePassword);
        }
        // A kept session on both ends: what the core queued for the site while the bridge was down
        // (a command, a stage's inputs) arrives when it is back, as for a device's own session.
        l.add("cleansession false");
        l.add("local_clientid " + name + "-local");
        l.add("try_private true");
        l.add("restart_timeout 1 10");
        l.add("notifications false");
        l.add("topic " + Topics.ROOT + "/# both 1");
        return l;
    }
}
