package io.ftpipe.broker.configuration;

import com.fasterxml.jackson.databind.JsonNode;
import io.ftpipe.broker.json.JsonBinding;
import io.ftpipe.broker.json.JsonBindingException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

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
        ExtensionConfig defaults = ExtensionConfig.defaults(baseDir);
        try {
            JsonNode tree = JsonBinding.parse(json);
            if (!tree.isObject()) {
                throw new InvalidConfigurationException(source + " must hold a JSON object of settings");
            }
            ExtensionConfigFile file = JsonBinding.bind(tree, ExtensionConfigFile.class);
            return new ExtensionConfig(
                    path(source, ExtensionConfig.DATA_DIR, file.dataDir(), stateDir,
                            stateDir.resolve(ExtensionConfig.DEFAULT_DATA_DIR)),
                    path(source, ExtensionConfig.DATASET_DIR, file.datasetDir(), baseDir, defaults.datasetDir()),
                    Objects.requireNonNullElse(file.heartbeatTimeoutMillis(), defaults.heartbeatTimeoutMillis()),
                    Objects.requireNonNullElse(file.backwardTimeoutMillis(), defaults.backwardTimeoutMillis()),
                    Objects.requireNonNullElse(file.maxPayloadBytes(), defaults.maxPayloadBytes()),
                    Objects.requireNonNullElse(file.evalBatchSize(), defaults.evalBatchSize()),
                    Objects.requireNonNullElse(file.threads(), defaults.threads()),
                    Objects.requireNonNullElse(file.coapPort(), defaults.coapPort()),
                    Objects.requireNonNullElse(file.coapBind(), defaults.coapBind()),
                    Objects.requireNonNullElse(file.coapsPort(), defaults.coapsPort()),
                    Objects.requireNonNullElse(file.coapsBind(), defaults.coapsBind()),
                    Objects.requireNonNullElse(file.httpPort(), defaults.httpPort()),
                    Objects.requireNonNullElse(file.httpBind(), defaults.httpBind()),
                    SecurityConfigReader.read(source, file.security()),
                    new UserFiles(
                            path(source, UserFiles.MODELS_DIR, file.modelsDir(), baseDir,
                                    defaults.userFiles().modelsDir()),
                            path(source, UserFiles.DATASETS_DIR, file.datasetsDir(), baseDir,
                                    defaults.userFiles().datasetsDir())));
        } catch (JsonBindingException e) {
            // "F is not valid JSON: ..." but "F: threads must be an integer, got ..."
            String separator = e.kind() == JsonBindingException.Kind.SYNTAX ? " " : ": ";
            throw new InvalidConfigurationException(source + separator + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            // The record's range checks name the key; add the file.
            throw new InvalidConfigurationException(source + ": " + e.getMessage(), e);
        }
    }

    private static Path path(String source, String key, String value, Path baseDir, Path fallback)
            throws InvalidConfigurationException {
        if (value == null) {
            return fallback;
        }
        if (value.isBlank()) {
            throw new InvalidConfigurationException(source + ": " + key + " must be "
                    + ExtensionConfigFile.PATH + ", got " + JsonBinding.json(value));
        }
        try {
            return baseDir.resolve(value).normalize();
        } catch (InvalidPathException e) {
            throw new InvalidConfigurationException(source + ": " + key + " is not a valid path: " + e.getMessage(), e);
        }
    }

    /** The known keys, in the order the shipped file lists them. */
    public static List<String> keys() {
        return JsonBinding.keys(ExtensionConfigFile.class);
    }
}
