package io.ftpipe.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A benchmark's scratch folder, emptied before the run: what it measures must come from this run's
 * files only (a job report left by an earlier run once ended a broker-restart trial at once).
 */
public final class WorkFolder {
    private WorkFolder() {
    }

    public static Path fresh(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        return Files.createDirectories(dir);
    }
}
