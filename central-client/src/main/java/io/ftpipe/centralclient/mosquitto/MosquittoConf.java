package io.ftpipe.centralclient.mosquitto;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code mosquitto.conf} for FTPipeHD: one listener, the settings that moving tensors needs
 * (docs/client-mode.md says why each), and, with security, the password and ACL files that
 * {@code ftpipe mosquitto-config} writes. Pure: it only makes the text.
 *
 * @param bind           the listener's address
 * @param passwordFile   null: anonymous clients are let in (and the ACL file, if any, applies to them)
 * @param aclFile        null: every client may publish and subscribe to anything
 * @param persistenceDir null: nothing is kept across a broker restart
 * @param extra          lines appended as they are (a bridge, a plugin)
 */
public record MosquittoConf(int port, String bind, Path passwordFile, Path aclFile, Path persistenceDir,
                            List<String> extra) {

    /**
     * Unacknowledged QoS 1 messages per client in each direction: mosquitto's default (20) sends
     * one stage's chunks one broker round trip at a time; HiveMQ's shipped config.xml allows 100.
     */
    public static final int MAX_INFLIGHT = 100;
    /** Messages queued per client beyond those in flight (HiveMQ's shipped config.xml: 5000). */
    public static final int MAX_QUEUED = 5000;

    public MosquittoConf {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1 - 65535, got " + port);
        }
        extra = List.copyOf(extra);
    }

    /** Anonymous, no ACLs, nothing persisted: the demo's and the tests' broker. */
    public static MosquittoConf open(int port) {
        return new MosquittoConf(port, "127.0.0.1", null, null, null, List.of());
    }

    public MosquittoConf withSecurity(Path passwordFile, Path aclFile) {
        return new MosquittoConf(port, bind, passwordFile, aclFile, persistenceDir, extra);
    }

    public MosquittoConf withExtra(List<String> lines) {
        List<String> all = new ArrayList<>(extra);
        all.addAll(lines);
        return new MosquittoConf(port, bind, passwordFile, aclFile, persistenceDir, all);
    }

    public String text() {
        List<String> l = new ArrayList<>();
        l.add("# written by ftpipe (docs/client-mode.md)");
        l.add("per_listener_settings false");
        l.add("listener " + port + " " + bind);
        l.add("protocol mqtt");
        if (passwordFile == null) {
            l.add("allow_anonymous true");
        } else {
            l.add("allow_anonymous false");
            l.add("password_file " + passwordFile.toAbsolutePath());
        }
        if (aclFile != null) {
            l.add("acl_file " + aclFile.toAbsolutePath());
        }
        l.add("max_inflight_messages " + MAX_INFLIGHT);
        l.add("max_queued_messages " + MAX_QUEUED);
        l.add("set_tcp_nodelay true");
        l.add("sys_interval 1");
        if (persistenceDir == null) {
            l.add("persistence false");
        } else {
            l.add("persistence true");
            l.add("persistence_location " + persistenceDir.toAbsolutePath() + "/");
        }
        l.add("log_dest stderr");
        l.add("log_type error");
        l.add("log_type warning");
        l.add("log_type notice");
        l.add("log_type information");
        l.add("connection_messages true");
        l.addAll(extra);
        return String.join("\n", l) + "\n";
    }
}
