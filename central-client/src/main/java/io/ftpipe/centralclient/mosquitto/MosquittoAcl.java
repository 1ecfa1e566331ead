package io.ftpipe.centralclient.mosquitto;

import io.ftpipe.broker.configuration.ClientAccount;
import io.ftpipe.broker.configuration.DeviceAccount;
import io.ftpipe.broker.configuration.Role;
import io.ftpipe.broker.configuration.SecurityConfig;
import io.ftpipe.protocol.Topics;

import java.util.ArrayList;
import java.util.List;

/**
 * Mosquitto's ACL file for the accounts of the extension's {@code security} section and the
 * client-mode central node's user. A client-mode central node takes the sender of a device topic
 * from the topic, so the heart of it is that device {@code d} alone may publish to
 * {@code devices/d/...}. Without the dynamic-security plugin the file cannot follow the layout,
 * so a device may use any job's stage topics (the HiveMQ extension narrows them to its own stage);
 * it may not publish labels (the central node's), status, plans or events, nor another device's
 * topics. With the plugin, the file grants a device no stage or progress topic at all: Mosquitto
 * allows what either the file or the plugin allows, and the central node has the plugin allow
 * each device the topics of the stages it runs now ({@code DeviceAcls}). Monitors and admins read,
 * as in {@code AccessRules}. Pure.
 */
public final class MosquittoAcl {
    private static final String ROOT = Topics.ROOT + "/";

    private MosquittoAcl() {
    }

    /** The file without the dynamic-security plugin: devices may use every stage topic. */
    public static String text(SecurityConfig security, String centralUser) {
        return text(security, centralUser, false);
    }

    /** @param dynamicSecurity the plugin grants the stage topics: the file grants none */
    public static String text(SecurityConfig security, String centralUser, boolean dynamicSecurity) {
        List<String> l = new ArrayList<>();
        l.add("# written by ftpipe mosquitto-config from the extension's security section: do not edit,");
        l.add("# write it again. Anyone not listed here may do nothing.");
        l.add("");
        l.add("# the central node (ftpipe central): everything of ftpipe, and the broker's counters");
        l.add("user " + centralUser);
        l.add("topic readwrite " + ROOT + "#");
        l.add("topic read $SYS/#");
        for (DeviceAccount d : security.devices()) {
            l.add("");
            l.addAll(device(d.id(), dynamicSecurity));
        }
        for (ClientAccount c : security.clients()) {
            l.add("");
            l.add("# " + c.role().json());
            l.add("user " + c.username());
            if (c.role() == Role.ADMIN) {
                l.add("topic read " + ROOT + "#");
            } else {
                l.add("topic read " + Topics.JOBS + "+/" + Topics.STATUS);
                l.add("topic read " + Topics.JOBS + "+/" + Topics.PLAN);
                l.add("topic read " + ROOT + "status/#");
                l.add("topic read " + Topics.DEVICE_EVENTS);
                l.add("topic read " + Topics.allDevices(Topics.HEARTBEAT));
            }
        }
        return String.join("\n", l) + "\n";
    }

    private static List<String> device(String id, boolean dynamicSecurity) {
        List<String> l = new ArrayList<>(List.of(
                "# device " + id + (dynamicSecurity ? ": its stage topics come from the dynamic-security plugin" : ""),
                "user " + id,
                "topic write " + Topics.device(id, Topics.HELLO),
                "topic write " + Topics.device(id, Topics.HEARTBEAT),
                "topic write " + Topics.device(id, Topics.REPLY),
                "topic read " + Topics.device(id, Topics.COMMAND),
                "topic read " + Topics.CENTRAL_EVENTS));
        if (!dynamicSecurity) {
            String stages = Topics.JOBS + "+/stages/+/";
            l.addAll(List.of(
                    "topic readwrite " + stages + Topics.FORWARD,
                    "topic readwrite " + stages + Topics.BACKWARD,
                    "topic readwrite " + stages + Topics.REPLICA,
                    "topic read " + stages + Topics.LABELS,
                    "topic write " + Topics.JOBS + "+/" + Topics.PROGRESS));
        }
        return l;
    }
}
