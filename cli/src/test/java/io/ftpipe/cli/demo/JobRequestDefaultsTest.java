package io.ftpipe.cli.demo;

import io.ftpipe.broker.configuration.UserFiles;
import io.ftpipe.broker.coap.JobRequest;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A job submitted through the CoAP management API with no settings is the job {@code ftpipe demo}
 * runs with no options: both read {@link io.ftpipe.broker.central.JobDefaults}, and this checks
 * that they apply them the same way (GPipe's micro-batches among them).
 */
class JobRequestDefaultsTest {

    private static JobOptions options(String... args) {
        return CommandLine.populateCommand(new JobOptions(), args);
    }

    private static io.ftpipe.broker.central.JobSpec api(String json) throws Exception {
        return JobRequest.parse(json.getBytes(StandardCharsets.UTF_8), () -> "j", UserFiles.beside(Path.of("/nonexistent/data")));
    }

    @Test
    void noSettingsIsTheClisDefaultJob() throws Exception {
        assertEquals(options().spec("j"), api("{}"));
    }

    @Test
    void gpipeSplitsBatchesAsTheCliDoes() throws Exception {
        assertEquals(options("--schedule", "gpipe").spec("j"), api("{\"schedule\": \"gpipe\"}"));
    }
}
