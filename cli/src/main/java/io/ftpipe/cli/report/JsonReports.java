package io.ftpipe.cli.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ftpipe.broker.json.JsonKeys;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The one place where commands write their JSON reports: pretty-printed, record components named
 * as in the central node's published JSON ({@link JsonKeys}: snake_case, milliseconds as
 * {@code ms}), and atomically, so a script polling for the file never reads half a report.
 */
public final class JsonReports {

    /** Map keys (such as the machine block's "os.arch") are left as they are. */
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(new JsonKeys())
            .enable(SerializationFeature.INDENT_OUTPUT);

    private JsonReports() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Writes {@code report} to a temporary file beside {@code file}, then renames it into place. */
    public static void write(Path file, Object report) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Files.createDirectories(dir);
        // Not Files.createTempFile: its files are private to the owner, and a report is not.
        Path tmp = dir.resolve("." + target.getFileName() + "." + ProcessHandle.current().pid() + "."
                + System.nanoTime() + ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW)) {
                MAPPER.writeValue(out, report);
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
