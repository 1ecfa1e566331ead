package io.ftpipe.broker.configuration;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code security} section of the extension configuration: who may connect to the broker and
 * what each may do (config/README.md). Off unless the file turns it on, so embedded brokers in
 * tests, demos and benchmarks run as before.
 *
 * @param enabled whether the broker refuses unknown clients and applies the access rules
 * @param devices the devices, each with its password hash
 * @param clients management and monitoring clients, each with a role
 */
public record SecurityConfig(boolean enabled, List<DeviceAccount> devices, List<ClientAccount> clients) {
    public static final String SECURITY = "security";
    public static final String ENABLED = "enabled";
    public static final String DEVICES = "devices";
    public static final String CLIENTS = "clients";

    /** Security off, nobody listed: every client may connect and do anything (HiveMQ's default). */
    public static final SecurityConfig OFF = new SecurityConfig(false, List.of(), List.of());

    public SecurityConfig {
        devices = List.copyOf(devices);
        clients = List.copyOf(clients);
        Set<String> names = new HashSet<>();
        for (int i = 0; i < devices.size(); i++) {
            String id = devices.get(i).id();
            if (!names.add(id)) {
                throw new IllegalArgumentException(SECURITY + "." + DEVICES + "[" + i + "].id '" + id
                        + "' is listed twice");
            }
        }
        for (int i = 0; i < clients.size(); i++) {
            String name = clients.get(i).username();
            // One name space: a client named like a device could take over the device's session.
            if (!names.add(name)) {
                throw new IllegalArgumentException(SECURITY + "." + CLIENTS + "[" + i + "].username '" + name
                        + "' is already a device id or another client's username");
            }
        }
        if (enabled && devices.isEmpty() && clients.isEmpty()) {
            throw new IllegalArgumentException(SECURITY + "." + ENABLED + " is true but " + SECURITY + "." + DEVICES
                    + " and " + SECURITY + "." + CLIENTS + " are both empty: no client could connect");
        }
    }

    public SecurityConfig withEnabled(boolean on) {
        return new SecurityConfig(on, devices, clients);
    }

    /** True if {@code id} is a listed device. */
    public boolean isDevice(String id) {
        Objects.requireNonNull(id, "id");
        return devices.stream().anyMatch(d -> d.id().equals(id));
    }
}
