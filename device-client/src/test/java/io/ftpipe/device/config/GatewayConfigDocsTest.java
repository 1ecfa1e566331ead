package io.ftpipe.device.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The gateway package explains every setting in conf/README.md (JSON has no comments) and offers
 * every environment variable in conf/device.env; a setting added to {@link Setting} without its
 * documentation fails here, not on a gateway.
 */
class GatewayConfigDocsTest {
    private static final Path CONF = Path.of("src/gateway/conf");

    @Test
    void readmeHasARowForEverySettingWithItsFlagAndVariable() throws Exception {
        String readme = Files.readString(CONF.resolve("README.md"));
        for (Setting s : Setting.values()) {
            String row = readme.lines().filter(l -> l.startsWith("| `" + s.key + "` |")).findFirst()
                    .orElseThrow(() -> new AssertionError("conf/README.md has no row for " + s.key));
            assertTrue(row.contains("`--" + s.flag() + "`"), s.key + " row names its flag: " + row);
            if (s.envVar != null) {
                assertTrue(row.contains("`" + s.envVar + "`"), s.key + " row names " + s.envVar + ": " + row);
            }
        }
    }

    @Test
    void deviceEnvOffersEveryVariable() throws Exception {
        String env = Files.readString(CONF.resolve("device.env"));
        for (Setting s : Setting.values()) {
            if (s.envVar != null) {
                assertTrue(env.contains("# " + s.envVar + "="), "conf/device.env offers " + s.envVar);
            }
        }
    }
}
