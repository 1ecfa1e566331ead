package io.ftpipe.broker.configuration;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;

/**
 * Reads {@value #FILE_NAME} — the one place the extension's configuration is parsed.
 *
 * <p>Every key is optional and has a default. Unknown keys are errors rather than warnings: a
 * misspelt {@code heartbeatTimeoutMilis} would otherwise silently run with the default. Relative
 * paths are resolved against the folder of the file, so the shipped {@code "dataDir": "data"}
 * means {@code <extension home>/data} in a drop-in, wherever HiveMQ was started from.
 */
public final class ExtensionConfigReader {

    public static final String FILE_NAME = "ftpipe-extension.json";

    private static final List<String> KEYS = List.of(
            ExtensionConfig.DATA_DIR,
            ExtensionConfig.DATASET_DIR,
            ExtensionConfig.HEARTBEAT_TIMEOUT_MILLIS,
            ExtensionConfig.BACKWARD_TIMEOUT_MILLIS,
            ExtensionConfig.MAX_PAYLOAD_BYTES,
            ExtensionConfig.EVAL_BATCH_SIZE,
            ExtensionConfig.THREADS,
            ExtensionConfig.COAP_PORT,
            ExtensionConfig.COAP_BIND,
            ExtensionConfig.SECURITY);

    private final ObjectMapper mapper = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /**
     * The drop-in case: {@code home/ftpipe-extension.json}, or all defaults (relative to
     * {@code home}) when the file is absent — the zip ships one, but a missing file is no reason
     * to refuse to start.
     */
    public ExtensionConfig readFromHome(Path home) throws InvalidConfigurationException {
        Path file = home.resolve(FILE_NAME);
        return Files.exists(file) ? read(file) : ExtensionConfig.defaults(home);
    }

    /** The embedded case: a file the caller named, which therefore must exist. */
    public ExtensionConfig read(Path file) throws InvalidConfigurationException {
        return read(file, file.toAbsolutePath().getParent());
    }

    /**
     * A file given to a command that has a work folder of its own: the central node's state
     * ({@code dataDir}, when relative) goes under {@code stateDir}, never beside the file (which
     * may be in the source tree); other relative paths resolve against the file's folder.
     */
    public ExtensionConfig read(Path file, Path stateDir) throws InvalidConfigurationException {
        Path absolute = file.toAbsolutePath();
        String text;
        try {
            text = Files.readString(absolute);
        } catch (IOException e) {
            throw new InvalidConfigurationException("cannot read " + absolute + ": " + e, e);
        }
        return parse(text, absolute.getParent(), stateDir.toAbsolutePath(), absolute.toString());
    }

    /**
     * Parses JSON text; relative paths resolve against {@code baseDir}; {@code source} names the
     * origin in error messages.
     */
    public ExtensionConfig parse(String json, Path baseDir, String source) throws InvalidConfigurationException {
        return parse(json, baseDir, baseDir, source);
    }

    private ExtensionConfig parse(String json, Path baseDir, Path stateDir, String source)
            throws InvalidConfigurationException {
        JsonNode root;
        try {
            root = mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidConfigurationException(source + " is not valid JSON: " + e.getOriginalMessage()
                    + location(e), e);
        }
        if (!(root instanceof ObjectNode object)) {
            throw new InvalidConfigurationException(source + " must hold a JSON object of settings");
        }
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!KEYS.contains(name)) {
                throw new InvalidConfigurationException(source + ": unknown key '" + name + "' (known keys: "
                        + String.join(", ", KEYS) + ")");
            }
        }
        ExtensionConfig defaults = ExtensionConfig.defaults(baseDir);
        try {
            return new ExtensionConfig(
                    path(source, object, ExtensionConfig.DATA_DIR, stateDir,
                            stateDir.resolve(ExtensionConfig.DEFAULT_DATA_DIR)),
                    path(source, object, ExtensionConfig.DATASET_DIR, baseDir, defaults.datasetDir()),
                    integer(source, object, ExtensionConfig.HEARTBEAT_TIMEOUT_MILLIS, defaults.heartbeatTimeoutMillis()),
                    integer(source, object, ExtensionConfig.BACKWARD_TIMEOUT_MILLIS, defaults.backwardTimeoutMillis()),
                    (int) integer(source, object, ExtensionConfig.MAX_PAYLOAD_BYTES, defaults.maxPayloadBytes()),
                    (int) integer(source, object, ExtensionConfig.EVAL_BATCH_SIZE, defaults.evalBatchSize()),
                    (int) integer(source, object, ExtensionConfig.THREADS, defaults.threads()),
                    (int) integer(source, object, ExtensionConfig.COAP_PORT, defaults.coapPort()),
                    text(source, object, ExtensionConfig.COAP_BIND, defaults.coapBind()),
                    SecurityConfigReader.read(source, object.get(ExtensionConfig.SECURITY)));
        } catch (IllegalArgumentException e) {
            // The record's range checks name the key; add the file.
            throw new InvalidConfigurationException(source + ": " + e.getMessage(), e);
        }
    }

    private static Path path(String source, ObjectNode object, String key, Path baseDir, Path fallback)
            throws InvalidConfigurationException {
        JsonNode node = object.get(key);
        if (node == null) {
            return fallback;
        }
        if (!node.isTextual() || node.asText().isBlank()) {
            throw new InvalidConfigurationException(source + ": " + key + " must be a non-empty path string, got "
                    + node);
        }
        try {
            return baseDir.resolve(node.asText()).normalize();
        } catch (InvalidPathException e) {
            throw new InvalidConfigurationException(source + ": " + key + " is not a valid path: " + e.getMessage(), e);
        }
    }

    private static String text(String source, ObjectNode object, String key, String fallback)
            throws InvalidConfigurationException {
        JsonNode node = object.get(key);
        if (node == null) {
            return fallback;
        }
        if (!node.isTextual()) {
            throw new InvalidConfigurationException(source + ": " + key + " must be a string, got " + node);
        }
        return node.asText();
    }

    private static long integer(String source, ObjectNode object, String key, long fallback)
            throws InvalidConfigurationException {
        JsonNode node = object.get(key);
        if (node == null) {
            return fallback;
        }
        // Strings like "5000" and fractions are refused rather than coerced: the file is the
        // contract, and a quoted number usually means someone edited the wrong field.
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new InvalidConfigurationException(source + ": " + key + " must be an integer, got " + node);
        }
        long value = node.asLong();
        boolean isInt = !key.endsWith("Millis");
        if (isInt && (value > Integer.MAX_VALUE || value < Integer.MIN_VALUE)) {
            throw new InvalidConfigurationException(source + ": " + key + " is out of range: " + value);
        }
        return value;
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }

    /** The known keys, in the order the shipped file lists them. */
    public static List<String> keys() {
        return KEYS;
    }
}
