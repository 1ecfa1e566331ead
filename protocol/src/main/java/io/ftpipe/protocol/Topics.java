package io.ftpipe.protocol;

/**
 * The MQTT topic tree. Devices and the central node (the broker extension) talk only through
 * these topics; neighbouring stages talk through stage topics, never through device names, so a
 * re-plan only changes who subscribes.
 *
 * <pre>
 * ftpipe/v1/devices/{device}/hello       device -> central  join (capabilities)          QoS 1
 * ftpipe/v1/devices/{device}/heartbeat   device -> central  liveness, state, capacity     QoS 0
 * ftpipe/v1/devices/{device}/reply       device -> central  acks, weights, replicas, errors QoS 1
 * ftpipe/v1/devices/{device}/cmd         central -> device  assign, start, collect, stop  QoS 1
 * ftpipe/v1/jobs/{job}/stages/{s}/forward   activations into stage s (data into stage 0)  QoS 1
 * ftpipe/v1/jobs/{job}/stages/{s}/backward  gradients into stage s                        QoS 1
 * ftpipe/v1/jobs/{job}/stages/{s}/labels    labels into the last stage                    QoS 1
 * ftpipe/v1/jobs/{job}/stages/{s}/replica   stage s-1's chain replica (weights, optimizer) QoS 1
 * ftpipe/v1/jobs/{job}/progress             stages -> central: completions, loss           QoS 1
 * ftpipe/v1/jobs/{job}/status               central -> anyone: job status (retained JSON)  QoS 1
 * ftpipe/v1/jobs/{job}/plan                 central -> anyone: the term's plan (retained JSON) QoS 1
 * ftpipe/v1/status/devices                  central -> anyone: every device (retained JSON)  QoS 1
 * ftpipe/v1/events/devices                  central -> anyone: birth, death, restart (JSON)  QoS 1
 * ftpipe/v1/events/central                  central -> devices: a client-mode node started   QoS 1
 * </pre>
 *
 * <p>The last four are for dashboards and fleet tools, in JSON rather than MessagePack so that any
 * MQTT client can show them; no device needs them.
 */
public final class Topics {
    public static final String ROOT = "ftpipe/v1";
    public static final String DEVICES = ROOT + "/devices/";
    public static final String JOBS = ROOT + "/jobs/";
    /** Every device the central node knows, retained JSON. */
    public static final String DEVICES_STATUS = ROOT + "/status/devices";
    /** Devices joining, coming back, restarting and going, JSON (not retained: events, not state). */
    public static final String DEVICE_EVENTS = ROOT + "/events/devices";
    /**
     * A central node that is a client of the broker started (JSON, not retained): devices say hello
     * again, as they do when their broker restarts, since the new node knows nobody.
     */
    public static final String CENTRAL_EVENTS = ROOT + "/events/central";

    public static final String HELLO = "hello";
    public static final String HEARTBEAT = "heartbeat";
    public static final String REPLY = "reply";
    public static final String COMMAND = "cmd";
    public static final String FORWARD = "forward";
    public static final String BACKWARD = "backward";
    public static final String LABELS = "labels";
    public static final String REPLICA = "replica";
    public static final String PROGRESS = "progress";
    public static final String STATUS = "status";
    public static final String PLAN = "plan";

    private Topics() {
    }

    public static String device(String device, String leaf) {
        return DEVICES + checkLevel(device) + "/" + leaf;
    }

    public static String stage(String job, int stage, String leaf) {
        return JOBS + checkLevel(job) + "/stages/" + stage + "/" + leaf;
    }

    public static String job(String job, String leaf) {
        return JOBS + checkLevel(job) + "/" + leaf;
    }

    /** All devices' messages of one kind, e.g. {@code ftpipe/v1/devices/+/hello}. */
    public static String allDevices(String leaf) {
        return DEVICES + "+/" + leaf;
    }

    /** The device id of a device topic, or null if {@code topic} is not one. */
    public static String deviceOf(String topic) {
        if (!topic.startsWith(DEVICES)) {
            return null;
        }
        int end = topic.indexOf('/', DEVICES.length());
        return end < 0 ? null : topic.substring(DEVICES.length(), end);
    }

    /** The last level of a topic. */
    public static String leaf(String topic) {
        return topic.substring(topic.lastIndexOf('/') + 1);
    }

    /** Ids become topic levels: no wildcards, separators or empty names. */
    public static String checkLevel(String id) {
        if (id == null || id.isEmpty() || id.length() > 64 || !id.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("id '" + id + "' must be 1-64 characters of A-Z a-z 0-9 . _ -");
        }
        return id;
    }
}
