package io.ftpipe.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class JsonReportsTest {

    record Sample(String modelName, double testAccuracy, Map<String, Object> machine) {
    }

    @TempDir
    Path dir;

    @Test
    void writesSnakeCaseAndKeepsMapKeys() throws Exception {
        Path file = dir.resolve("a/b/report.json");
        JsonReports.write(file, new Sample("mlp", 0.5, Machine.describe()));

        JsonNode json = JsonReports.mapper().readTree(file.toFile());
        assertEquals("mlp", json.get("model_name").asText());
        assertEquals(0.5, json.get("test_accuracy").asDouble());
        assertTrue(json.get("machine").has("os.arch"), json.toPrettyString());
        assertTrue(json.get("machine").get("cores").asInt() >= 1);
    }

    @Test
    void replacesAnOldReportAndLeavesNoTemporaryFile() throws Exception {
        Path file = dir.resolve("report.json");
        Files.writeString(file, "old");
        JsonReports.write(file, Map.of("k", 1));

        assertEquals(1, JsonReports.mapper().readTree(file.toFile()).get("k").asInt());
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void reportIsReadableByOthersLikeAnyFile() throws Exception {
        Path file = dir.resolve("report.json");
        JsonReports.write(file, Map.of("k", 1));
        Path plain = Files.writeString(dir.resolve("plain.txt"), "x");

        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(file));
        assertTrue(Files.getPosixFilePermissions(file).contains(PosixFilePermission.OWNER_READ));
    }
}
