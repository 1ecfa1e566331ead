package io.ftpipe.broker.configuration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UserFilesTest {
    @TempDir
    Path home;

    private UserFiles files() throws Exception {
        UserFiles files = UserFiles.beside(home.resolve("data"));
        Files.createDirectories(files.modelsDir());
        Files.createDirectories(files.datasetsDir().resolve("site"));
        return files;
    }

    private String refusal(UserFiles files, String name) {
        return assertThrows(IllegalArgumentException.class, () -> files.data("data", name)).getMessage();
    }

    @Test
    void aFileOrFolderInsideIsItsRealPath() throws Exception {
        UserFiles files = files();
        Path csv = Files.writeString(files.datasetsDir().resolve("site/a.csv"), "label,x\n");
        assertEquals(csv.toRealPath(), files.data("data", "site/a.csv"));
        assertEquals(files.datasetsDir().resolve("site").toRealPath(), files.data("data", "site"));
        // A link that stays inside is as good as the file.
        Files.createSymbolicLink(files.datasetsDir().resolve("latest.csv"), csv);
        assertEquals(csv.toRealPath(), files.data("data", "latest.csv"));
    }

    @Test
    void nothingOutsideIsReachable() throws Exception {
        UserFiles files = files();
        Path secret = Files.writeString(home.resolve("secret.csv"), "label,x\n");
        Files.createSymbolicLink(files.datasetsDir().resolve("out.csv"), secret);
        Files.createSymbolicLink(files.datasetsDir().resolve("up"), home);
        assertTrue(refusal(files, "../secret.csv").contains("without '..'"));
        assertTrue(refusal(files, "site/../../secret.csv").contains("without '..'"));
        assertTrue(refusal(files, secret.toString()).contains("by a relative path"));
        assertTrue(refusal(files, "out.csv").contains("links out of the central node's datasetsDir"));
        assertTrue(refusal(files, "up/secret.csv").contains("links out"));
        assertTrue(refusal(files, "").contains("by a relative path"));
        assertEquals("data: no 'missing.csv' in the central node's datasetsDir", refusal(files, "missing.csv"));
        // The folder itself is not a data set a job may name.
        assertTrue(refusal(files, ".").contains("not the folder itself"));
        String model = assertThrows(IllegalArgumentException.class, () -> files.model("model", "../x.onnx")).getMessage();
        assertTrue(model.startsWith("model must name a file under the central node's modelsDir"), model);
    }
}
