package io.ftpipe.broker.configuration;

import io.ftpipe.broker.json.JsonBinding;
import io.ftpipe.broker.security.PasswordHash;
import io.ftpipe.broker.security.PreSharedKey;
import io.ftpipe.protocol.Topics;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static io.ftpipe.broker.configuration.SecurityConfig.CLIENTS;
import static io.ftpipe.broker.configuration.SecurityConfig.DEVICES;
import static io.ftpipe.broker.configuration.SecurityConfig.ENABLED;
import static io.ftpipe.broker.configuration.SecurityConfig.SECURITY;

/**
 * Turns the {@code security} section of {@code ftpipe-extension.json}, as bound, into a
 * {@link SecurityConfig}: what the section's types cannot say (required keys, device ids, roles,
 * hashes). Every error names the key as a path ({@code security.devices[2].passwordHash}) so the
 * operator finds it in the file; nothing of a password hash is ever echoed.
 */
final class SecurityConfigReader {
    static final String ID = "id";
    static final String USERNAME = "username";
    static final String ROLE = "role";
    static final String PASSWORD_HASH = "passwordHash";
    static final String PSK = "psk";

    private SecurityConfigReader() {
    }

    /** @param section the bound {@code security} section, or null when the file has none (security off) */
    static SecurityConfig read(String source, SecurityConfigFile section) throws InvalidConfigurationException {
        if (section == null) {
            return SecurityConfig.OFF;
        }
        // Required, not defaulted: a section that lists accounts but forgot the switch must not
        // leave the broker open while its operator believes it closed.
        if (section.enabled() == null) {
            throw error(source, SECURITY + "." + ENABLED, "is missing: set it to true or false");
        }
        List<DeviceAccount> devices = new ArrayList<>();
        List<SecurityConfigFile.Device> listed = Objects.requireNonNullElse(section.devices(), List.of());
        for (int i = 0; i < listed.size(); i++) {
            String at = SECURITY + "." + DEVICES + "[" + i + "]";
            SecurityConfigFile.Device entry = listed.get(i);
            String id = name(source, at + "." + ID, entry.id());
            try {
                Topics.checkLevel(id);
            } catch (IllegalArgumentException e) {
                throw error(source, at + "." + ID, "'" + id + "' is not a device id: 1-64 characters of "
                        + "A-Z a-z 0-9 . _ - (it is the device's client id and a topic level)");
            }
            devices.add(new DeviceAccount(id, hash(source, at + "." + PASSWORD_HASH, entry.passwordHash())));
        }
        List<ClientAccount> clients = new ArrayList<>();
        List<SecurityConfigFile.Client> named = Objects.requireNonNullElse(section.clients(), List.of());
        for (int i = 0; i < named.size(); i++) {
            String at = SECURITY + "." + CLIENTS + "[" + i + "]";
            SecurityConfigFile.Client entry = named.get(i);
            String username = name(source, at + "." + USERNAME, entry.username());
            String roleName = name(source, at + "." + ROLE, entry.role());
            Role role = Role.byName(roleName).orElseThrow(() -> error(source, at + "." + ROLE,
                    "must be one of " + Role.names() + ", got '" + roleName + "'"));
            PasswordHash hash = hash(source, at + "." + PASSWORD_HASH, entry.passwordHash());
            PreSharedKey psk = psk(source, at + "." + PSK, entry.psk());
            try {
                clients.add(new ClientAccount(username, role, hash, psk));
            } catch (IllegalArgumentException e) {
                throw error(source, at + "." + USERNAME, e.getMessage());
            }
        }
        try {
            return new SecurityConfig(section.enabled(), devices, clients);
        } catch (IllegalArgumentException e) {
            // The record's checks name the key already.
            throw new InvalidConfigurationException(source + ": " + e.getMessage(), e);
        }
    }

    private static String name(String source, String key, String value) throws InvalidConfigurationException {
        if (value == null) {
            throw error(source, key, "is missing");
        }
        if (value.isBlank()) {
            throw error(source, key, "must be " + SecurityConfigFile.NAME + ", got " + JsonBinding.json(value));
        }
        return value;
    }

    private static PasswordHash hash(String source, String key, String value) throws InvalidConfigurationException {
        if (value == null) {
            throw error(source, key, "is missing: make one with `ftpipe hash-password` (config/README.md)");
        }
        try {
            return PasswordHash.parse(value);
        } catch (IllegalArgumentException e) {
            throw error(source, key, "is not a password hash: " + e.getMessage());
        }
    }

    /** Null when absent: the client then has no DTLS access. The key itself is never echoed. */
    private static PreSharedKey psk(String source, String key, String value) throws InvalidConfigurationException {
        if (value == null) {
            return null;
        }
        try {
            return PreSharedKey.parse(value);
        } catch (IllegalArgumentException e) {
            throw error(source, key, e.getMessage());
        }
    }

    private static InvalidConfigurationException error(String source, String key, String what) {
        return new InvalidConfigurationException(source + ": " + key + " " + what);
    }
}
