package io.ftpipe.broker.security;

import io.ftpipe.broker.central.AssignedStage;
import io.ftpipe.protocol.Topics;

import java.util.ArrayList;
import java.util.List;

/**
 * Who may publish and subscribe where, when security is on (docs/protocol.md, "Access control").
 * Pure functions of the principal, the topic and the stages the principal's device runs now.
 *
 * <ul>
 *   <li>A device publishes its own hello, heartbeat and reply; for each stage s of S it runs,
 *       the inputs of its neighbours (forward and chain replica into s+1, backward into s-1) and
 *       the job's progress. It subscribes to its own command topic and to the inputs of its own
 *       stages. Nothing retained, no wildcards.</li>
 *   <li>A monitor subscribes to job status and plans, the devices view and events, and device
 *       heartbeats; an admin to any ftpipe topic.
 *       Neither publishes: commands, status and stage inputs come from the central node, which
 *       publishes through HiveMQ's PublishService and so is not subject to these rules.</li>
 *   <li>Anything else is refused, shared subscriptions included.</li>
 * </ul>
 */
public final class AccessRules {
    /** What a monitor may read: the dashboards' topics, never tensors or commands. */
    static final List<String> MONITORED = List.of(Topics.JOBS + "+/" + Topics.STATUS, Topics.JOBS + "+/" + Topics.PLAN,
            Topics.DEVICES_STATUS, Topics.DEVICE_EVENTS, Topics.allDevices(Topics.HEARTBEAT));
    static final String EVERYTHING = Topics.ROOT + "/#";

    private AccessRules() {
    }

    public static boolean mayPublish(Principal who, String topic, boolean retain, List<AssignedStage> stages) {
        if (who.kind() != Principal.Kind.DEVICE || retain || hasWildcard(topic)) {
            return false;
        }
        return devicePublishes(who.name(), stages).contains(topic);
    }

    public static boolean maySubscribe(Principal who, String filter, List<AssignedStage> stages) {
        if (filter.startsWith("$")) {
            // $share/... (and $SYS): shared subscriptions would let a client take a share of
            // another's messages; nothing in ftpipe uses them.
            return false;
        }
        return switch (who.kind()) {
            case DEVICE -> deviceSubscribes(who.name(), stages).contains(filter);
            case MONITOR -> MONITORED.stream().anyMatch(m -> TopicFilter.covers(m, filter));
            case ADMIN -> TopicFilter.covers(EVERYTHING, filter);
        };
    }

    /**
     * The exact topics a device may publish to now. Also what client mode has Mosquitto's
     * dynamic-security plugin allow ({@code io.ftpipe.centralclient.mosquitto.DeviceAcls}).
     */
    public static List<String> devicePublishes(String device, List<AssignedStage> stages) {
        List<String> topics = new ArrayList<>(List.of(Topics.device(device, Topics.HELLO),
                Topics.device(device, Topics.HEARTBEAT), Topics.device(device, Topics.REPLY)));
        for (AssignedStage a : stages) {
            int s = a.stage();
            if (s + 1 < a.stages()) {
                topics.add(Topics.stage(a.job(), s + 1, Topics.FORWARD));
                topics.add(Topics.stage(a.job(), s + 1, Topics.REPLICA));
            }
            if (s > 0) {
                topics.add(Topics.stage(a.job(), s - 1, Topics.BACKWARD));
            }
            topics.add(Topics.job(a.job(), Topics.PROGRESS));
        }
        return topics;
    }

    /** The exact filters a device may subscribe to now (and the topics it may receive). */
    public static List<String> deviceSubscribes(String device, List<AssignedStage> stages) {
        List<String> filters = new ArrayList<>(List.of(Topics.device(device, Topics.COMMAND)));
        for (AssignedStage a : stages) {
            for (String leaf : List.of(Topics.FORWARD, Topics.BACKWARD, Topics.LABELS, Topics.REPLICA)) {
                filters.add(Topics.stage(a.job(), a.stage(), leaf));
            }
        }
        return filters;
    }

    private static boolean hasWildcard(String topic) {
        return topic.contains("+") || topic.contains("#");
    }
}
