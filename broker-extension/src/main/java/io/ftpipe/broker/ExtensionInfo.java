package io.ftpipe.broker;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The extension's identity, shared by the drop-in's {@code hivemq-extension.xml} and the embedded
 * extension: both are filtered from the same Maven properties, so they cannot drift apart.
 */
public record ExtensionInfo(String id, String name, String version, String author, int priority,
                            int startPriority) {

    private static final String RESOURCE = "extension.properties";

    /** Ours, as built. */
    public static ExtensionInfo current() {
        Properties properties = new Properties();
        try (InputStream in = ExtensionInfo.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath; build with Maven");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ExtensionInfo(
                properties.getProperty("id"),
                properties.getProperty("name"),
                properties.getProperty("version"),
                properties.getProperty("author"),
                Integer.parseInt(properties.getProperty("priority")),
                Integer.parseInt(properties.getProperty("startPriority")));
    }
}
