package io.ftpipe.broker.configuration;

import com.fasterxml.jackson.databind.JsonNode;
import io.ftpipe.broker.security.PasswordHash;
import io.ftpipe.protocol.Topics;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static io.ftpipe.broker.configuration.SecurityConfig.CLIENTS;
import static io.ftpipe.broker.configuration.SecurityConfig.DEVICES;
import static io.ftpipe.broker.configuration.SecurityConfig.ENABLED;
import static io.ftpipe.broker.configuration.SecurityConfig.SECURITY;

/**
 * Reads the {@code security} section of {@code ftpipe-extension.json}. Every error names the key
 * as a path ({@code security.devices[2].passwordHash}) so the operator finds it in the file;
 * nothing of a password hash is ever echoed.
 */
final class SecurityConfigReader {
    static final String ID = "id";
    static final String USERNAME = "username";
    static final String ROLE = "role";
    static final String PASSWORD_HASH = "passwordHash";

    private static final List<String> SECTION_KEYS = List.of(ENABLED, DEVICES, CLIENTS);
    private static final List<String> DEVICE_KEYS = List.of(ID, PASSWORD_HASH);
    private static final List<String> CLIENT_KEYS = List.of(USERNAME, ROLE, PASSWORD_HASH);

    private SecurityConfigReader() {
    }

    /** @param node the value of {@code security}, or null when the file has none (security off) */
    static SecurityConfig read(String source, JsonNode node) throws InvalidConfigurationException {
        if (node == null) {
            return SecurityConfig.OFF;
        }
        if (!node.isObject()) {
            throw error(source, SECURITY, "must be an object like {\"enabled\": true, \"devices\": [...]}, got "
                    + node.getNodeType().toString().toLowerCase());
        }
        onlyKnownKeys(source, SECURITY, node, SECTION_KEYS);
        JsonNode enabled = node.get(ENABLED);
        // Required, not defaulted: a section that lists accounts but forgot the switch must not
        // leave the broker open while its operator believes it closed.
        if (enabled == null) {
            throw error(source, SECURITY + "." + ENABLED, "is missing: set it to true or false");
        }
        if (!enabled.isBoolean()) {
            throw error(source, SECURITY + "." + ENABLED, "must be true or false, got " + enabled);
        }
        List<DeviceAccount> devices = new ArrayList<>();
        JsonNode list = array(source, node, DEVICES);
        for (int i = 0; i < list.size(); i++) {
            String at = SECURITY + "." + DEVICES + "[" + i + "]";
            JsonNode entry = entry(source, at, list.get(i), DEVICE_KEYS);
            String id = string(source, at + "." + ID, entry.get(ID));
            try {
                Topics.checkLevel(id);
            } catch (IllegalArgumentException e) {
                throw error(source, at + "." + ID, "'" + id + "' is not a device id: 1-64 characters of "
                        + "A-Z a-z 0-9 . _ - (it is the device's client id and a topic level)");
            }
            devices.add(new DeviceAccount(id, hash(source, at + "." + PASSWORD_HASH, entry.get(PASSWORD_HASH))));
        }
        List<ClientAccount> clients = new ArrayList<>();
        list = array(source, node, CLIENTS);
        for (int i = 0; i < list.size(); i++) {
            String at = SECURITY + "." + CLIENTS + "[" + i + "]";
            JsonNode entry = entry(source, at, list.get(i), CLIENT_KEYS);
            String username = string(source, at + "." + USERNAME, entry.get(USERNAME));
            String roleName = string(source, at + "." + ROLE, entry.get(ROLE));
            Role role = Role.byName(roleName).orElseThrow(() -> error(source, at + "." + ROLE,
                    "must be one of " + Role.names() + ", got '" + roleName + "'"));
            PasswordHash hash = hash(source, at + "." + PASSWORD_HASH, entry.get(PASSWORD_HASH));
            try {
                clients.add(new ClientAccount(username, role, hash));
            } catch (IllegalArgumentException e) {
                throw error(source, at + "." + USERNAME, e.getMessage());
            }
        }
        try {
            return new SecurityConfig(enabled.booleanValue(), devices, clients);
        } catch (IllegalArgumentException e) {
            // The record's checks name the key already.
            throw new InvalidConfigurationException(source + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode array(String source, JsonNode section, String key) throws InvalidConfigurationException {
        JsonNode list = section.get(key);
        if (list == null) {
            return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        }
        if (!list.isArray()) {
            throw error(source, SECURITY + "." + key, "must be an array, got " + list.getNodeType().toString()
                    .toLowerCase());
        }
        return list;
    }

    private static JsonNode entry(String source, String at, JsonNode entry, List<String> keys)
            throws InvalidConfigurationException {
        if (!entry.isObject()) {
            throw error(source, at, "must be an object with " + String.join(", ", keys));
        }
        onlyKnownKeys(source, at, entry, keys);
        return entry;
    }

    private static void onlyKnownKeys(String source, String at, JsonNode object, List<String> keys)
            throws InvalidConfigurationException {
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!keys.contains(name)) {
                throw error(source, at, "has an unknown key '" + name + "' (known keys: " + String.join(", ", keys)
                        + ")");
            }
        }
    }

    private static String string(String source, String key, JsonNode node) throws InvalidConfigurationException {
        if (node == null) {
            throw error(source, key, "is missing");
        }
        if (!node.isTextual() || node.asText().isBlank()) {
            throw error(source, key, "must be a non-empty string, got " + node);
        }
        return node.asText();
    }

    private static PasswordHash hash(String source, String key, JsonNode node) throws InvalidConfigurationException {
        if (node == null) {
            throw error(source, key, "is missing: make one with `ftpipe hash-password` (config/README.md)");
        }
        if (!node.isTextual()) {
            throw error(source, key, "must be a string made by `ftpipe hash-password`");
        }
        try {
            return PasswordHash.parse(node.asText());
        } catch (IllegalArgumentException e) {
            throw error(source, key, "is not a password hash: " + e.getMessage());
        }
    }

    private static InvalidConfigurationException error(String source, String key, String what) {
        return new InvalidConfigurationException(source + ": " + key + " " + what);
    }
}
