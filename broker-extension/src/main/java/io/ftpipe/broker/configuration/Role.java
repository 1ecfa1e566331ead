package io.ftpipe.broker.configuration;

import java.util.Arrays;
import java.util.Optional;

/** What a management client (not a device) may do when security is on (config/README.md). */
public enum Role {
    /** Read job status and device heartbeats over MQTT; nothing else. */
    MONITOR("monitor"),
    /** Read every ftpipe topic over MQTT, and change things through the CoAP management API. */
    ADMIN("admin");

    private final String json;

    Role(String json) {
        this.json = json;
    }

    /** The name in the configuration file. */
    public String json() {
        return json;
    }

    public static Optional<Role> byName(String name) {
        return Arrays.stream(values()).filter(r -> r.json.equals(name)).findFirst();
    }

    /** "monitor, admin", for error messages. */
    public static String names() {
        return String.join(", ", Arrays.stream(values()).map(Role::json).toList());
    }
}
