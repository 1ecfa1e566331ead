package io.ftpipe.broker.configuration;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * {@value ExtensionConfigReader#FILE_NAME} as written, bound by {@link io.ftpipe.broker.json.JsonBinding}:
 * the components are the file's keys in the order the shipped file lists them, each null when the
 * file leaves it out. {@link ExtensionConfigReader} turns it into an {@link ExtensionConfig}.
 */
record ExtensionConfigFile(
        @JsonPropertyDescription(PATH) String dataDir,
        @JsonPropertyDescription(PATH) String datasetDir,
        Long heartbeatTimeoutMillis,
        Long backwardTimeoutMillis,
        Integer maxPayloadBytes,
        Integer evalBatchSize,
        Integer threads,
        Integer coapPort,
        String coapBind,
        Integer coapsPort,
        String coapsBind,
        Integer httpPort,
        String httpBind,
        @JsonPropertyDescription(PATH) String modelsDir,
        @JsonPropertyDescription(PATH) String datasetsDir,
        @JsonPropertyDescription("an object like {\"enabled\": true, \"devices\": [...]}") SecurityConfigFile security) {

    static final String PATH = "a non-empty path string";
}
