package io.ftpipe.broker.configuration;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.util.List;

/**
 * The {@code security} section as written, bound by {@link io.ftpipe.broker.json.JsonBinding};
 * absent keys are null. {@link SecurityConfigReader} checks what the types cannot say.
 */
record SecurityConfigFile(Boolean enabled, List<Device> devices, List<Client> clients) {

    static final String NAME = "a non-empty string";
    static final String HASH = "a string made by `ftpipe hash-password`";
    static final String PSK = "a string of 16-64 printable ASCII characters";

    record Device(@JsonPropertyDescription(NAME) String id, @JsonPropertyDescription(HASH) String passwordHash) {
    }

    record Client(@JsonPropertyDescription(NAME) String username, @JsonPropertyDescription(NAME) String role,
                  @JsonPropertyDescription(HASH) String passwordHash, @JsonPropertyDescription(PSK) String psk) {
    }
}
