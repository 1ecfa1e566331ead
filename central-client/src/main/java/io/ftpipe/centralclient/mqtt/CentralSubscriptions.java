package io.ftpipe.centralclient.mqtt;

import io.ftpipe.broker.mqtt.CentralTopics;
import io.ftpipe.protocol.Topics;

import java.util.List;

/**
 * What a client-mode central node subscribes to, and who sent what it receives. The HiveMQ
 * extension sees every publish and learns each publisher's client id; a client sees only what it
 * subscribed to, and MQTT does not say who published it. So the sender of a device topic is the
 * device the topic names, and the broker must make sure that only that device can publish there
 * (its ACLs: {@code ftpipe mosquitto-config}). Pure.
 */
public final class CentralSubscriptions {
    /**
     * Exactly the topics the extension hands its central node ({@link CentralTopics}), but not
     * {@code devices/+/cmd}: those are the node's own commands.
     */
    public static final List<String> FILTERS = List.of(
            Topics.allDevices(Topics.HELLO),
            Topics.allDevices(Topics.HEARTBEAT),
            Topics.allDevices(Topics.REPLY),
            Topics.JOBS + "+/" + Topics.PROGRESS);

    private CentralSubscriptions() {
    }

    /**
     * Who the central node takes as the sender of a message on {@code topic}: the device a device
     * topic names; for a job's progress topic (which every stage of the job publishes to), the
     * topic itself. Null for a topic the central node does not take.
     */
    public static String sender(String topic) {
        if (!CentralTopics.isForCentral(topic)) {
            return null;
        }
        String device = Topics.deviceOf(topic);
        if (device == null) {
            return topic.startsWith(Topics.DEVICES) ? null : topic;
        }
        String leaf = topic.substring(Topics.DEVICES.length() + device.length() + 1);
        boolean fromDevice = leaf.equals(Topics.HELLO) || leaf.equals(Topics.HEARTBEAT) || leaf.equals(Topics.REPLY);
        return fromDevice && validId(device) ? device : null;
    }

    private static boolean validId(String id) {
        try {
            Topics.checkLevel(id);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
