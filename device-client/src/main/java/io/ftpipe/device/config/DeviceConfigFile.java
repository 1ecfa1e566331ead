package io.ftpipe.device.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A device's JSON file bound onto its settings by Jackson: each key one {@link Setting}, each value
 * a JSON scalar taken as text, or {@code null} for "not set here". Text, because the file is one
 * layer among the environment and flags, which are text, and the same check applies to all three
 * (so {@code "threads": "2"} and {@code "threads": 2} are the same, as conf/README.md promises).
 * The one place where Jackson's exceptions about the file become messages naming it.
 */
final class DeviceConfigFile {
    private static final TypeReference<LinkedHashMap<Setting, String>> SETTINGS = new TypeReference<>() {
    };
    /** A key given twice is a mistake, not "last one wins"; an unknown key is refused by its binding. */
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .addModule(new SimpleModule().addKeyDeserializer(Setting.class, new SettingKey()))
            .build();

    private DeviceConfigFile() {
    }

    /** The settings the file sets; a key whose value is {@code null} is left out. */
    static Map<Setting, String> read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file));
        } catch (JsonProcessingException e) {
            throw new ConfigException("config file " + file + " is not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")"), e);
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file " + file + " does not exist; create it (see device.example.json)"
                    + " or do not pass a config file", e);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ConfigException("config file " + file + " must hold a JSON object like {\"id\": \"d1\"}");
        }
        Map<Setting, String> settings;
        try {
            settings = JSON.treeToValue(root, SETTINGS);
        } catch (InvalidFormatException e) {
            if (e.getTargetType() != Setting.class) {
                throw new ConfigException("config file " + file + ": " + e.getOriginalMessage(), e);
            }
            throw new ConfigException("config file " + file + ": unknown key \"" + e.getValue()
                    + "\"; remove it or use one of: " + Setting.knownKeys(), e);
        } catch (JsonMappingException e) {
            // Otherwise only a value that is no scalar gets here: every scalar is text.
            String key = e.getPath().get(0).getFieldName();
            throw new ConfigException("config file " + file + ": \"" + key + "\" must be a string or a number, not "
                    + root.get(key).getNodeType().toString().toLowerCase(), e);
        } catch (JsonProcessingException e) {
            throw new ConfigException("config file " + file + ": " + e.getOriginalMessage(), e);
        }
        settings.values().removeIf(Objects::isNull);
        return settings;
    }

    /** Binds a key to its setting by its JSON name; any other key fails the binding. */
    private static final class SettingKey extends KeyDeserializer {
        @Override
        public Object deserializeKey(String key, DeserializationContext ctxt) throws IOException {
            return Setting.byKey(key).orElseThrow(() -> ctxt.weirdKeyException(Setting.class, key, "unknown key"));
        }
    }
}
