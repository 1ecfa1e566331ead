package io.ftpipe.broker.central;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A job's files on the central node, {@code dataDir/jobs/<id>/}: its replica store, its checkpoint
 * while it runs, and at the end either its report and model or the reason it failed. A job with a
 * checkpoint and neither of those is unfinished: a restarted central node resumes it.
 */
final class JobDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(JobDirectory.class);
    static final String CHECKPOINT = "checkpoint.json";
    static final String REPORT = "report.json";
    static final String FAILURE = "failure.txt";
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path dir;

    JobDirectory(Path dataDir, String job) {
        this.dir = jobs(dataDir).resolve(job);
    }

    private static Path jobs(Path dataDir) {
        return dataDir.resolve("jobs");
    }

    Path replicas() {
        return dir.resolve("replicas");
    }

    Path model() {
        return dir.resolve("model.onnx");
    }

    Path report() {
        return dir.resolve(REPORT);
    }

    /**
     * The job's copy of the ONNX file it imports: a central node restarted later rebuilds the same
     * model from it, whatever became of the file the job was submitted with.
     */
    Path importedModel() {
        return dir.resolve("imported-model.onnx");
    }

    /** A new job of this id: whatever an earlier one left is gone. */
    void clearOutcome() throws IOException {
        Files.deleteIfExists(dir.resolve(CHECKPOINT));
        Files.deleteIfExists(report());
        Files.deleteIfExists(dir.resolve(FAILURE));
    }

    void checkpoint(JobCheckpoint c) throws IOException {
        AtomicFile.write(dir.resolve(CHECKPOINT), JSON.writeValueAsBytes(c));
    }

    void finished(JobReport report) throws IOException {
        AtomicFile.write(report(), JSON.writeValueAsBytes(report));
        Files.deleteIfExists(dir.resolve(CHECKPOINT));
    }

    void failed(String why) throws IOException {
        AtomicFile.write(dir.resolve(FAILURE), (why + "\n").getBytes(StandardCharsets.UTF_8));
        Files.deleteIfExists(dir.resolve(CHECKPOINT));
    }

    static JobCheckpoint read(Path checkpoint) throws IOException {
        return JSON.readValue(checkpoint.toFile(), JobCheckpoint.class);
    }

    /**
     * The checkpoints of jobs that neither finished nor failed, oldest first. One that cannot be
     * read is logged and left alone (its job cannot be resumed, the others still are).
     */
    static List<JobCheckpoint> unfinished(Path dataDir) throws IOException {
        List<JobCheckpoint> out = new ArrayList<>();
        if (!Files.isDirectory(jobs(dataDir))) {
            return out;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(jobs(dataDir))) {
            for (Path d : dirs) {
                Path c = d.resolve(CHECKPOINT);
                if (!Files.isRegularFile(c) || Files.exists(d.resolve(REPORT)) || Files.exists(d.resolve(FAILURE))) {
                    continue;
                }
                try {
                    out.add(read(c));
                } catch (IOException | RuntimeException e) {
                    LOG.error("cannot resume the job in " + d + ": its checkpoint " + c + " is unreadable ("
                            + e.getMessage() + "); move the folder away to silence this");
                }
            }
        }
        out.sort(java.util.Comparator.comparingLong(JobCheckpoint::startedMillis));
        return out;
    }
}
