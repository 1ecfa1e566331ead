package io.ftpipe.broker.coap;

import io.ftpipe.broker.central.JobSpec;
import io.ftpipe.broker.configuration.UserFiles;
import io.ftpipe.zoo.optim.OptimizerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JobRequestTest {

    @TempDir
    static Path home;

    private static UserFiles files() {
        return UserFiles.beside(home.resolve("data"));
    }

    private static JobSpec parse(String json) throws BadRequest {
        return JobRequest.parse(json.getBytes(StandardCharsets.UTF_8), () -> "job-7", files());
    }

    @Test
    void dataAndModelFilesAreTakenFromTheConfiguredFolders() throws Exception {
        Files.createDirectories(files().datasetsDir().resolve("site-a"));
        Files.writeString(files().datasetsDir().resolve("site-a/readings.csv"), "label,a\n1,0.5\n");
        JobSpec spec = parse("{\"model\": \"mlp\", \"data\": \"site-a/readings.csv\", \"normalize\": \"0.5,0.25\", "
                + "\"init\": true}");
        assertEquals(new JobSpec.Sources(files().datasetsDir().resolve("site-a/readings.csv").toRealPath().toString(),
                "0.5,0.25", true), spec.sources());
    }

    @Test
    void filesOutsideTheFoldersOrModelsItCannotTrainAreRefused() throws Exception {
        Files.createDirectories(files().modelsDir());
        Files.write(files().modelsDir().resolve("broken.onnx"), new byte[]{1, 2, 3});
        BadRequest e = assertThrows(BadRequest.class, () -> parse("{\"data\": \"../data\"}"));
        assertTrue(e.getMessage().contains("without '..'"), e.getMessage());
        e = assertThrows(BadRequest.class, () -> parse("{\"model\": \"/etc/x.onnx\"}"));
        assertTrue(e.getMessage().contains("relative path"), e.getMessage());
        e = assertThrows(BadRequest.class, () -> parse("{\"model\": \"broken.onnx\"}"));
        assertTrue(e.getMessage().startsWith("model 'broken.onnx': "), e.getMessage());
        e = assertThrows(BadRequest.class, () -> parse("{\"normalize\": \"sometimes\"}"));
        assertTrue(e.getMessage().contains("normalize must be auto, none or MEAN,STD"), e.getMessage());
        Files.createDirectories(files().datasetsDir());
        Files.writeString(files().datasetsDir().resolve("d.csv"), "label,a\n1,0.5\n");
        e = assertThrows(BadRequest.class, () -> parse("{\"data\": \"d.csv\", \"synthetic\": 100}"));
        assertTrue(e.getMessage().contains("data and synthetic exclude each other"), e.getMessage());
    }

    @Test
    void emptyObjectIsTheClisDefaultJob() throws Exception {
        assertEquals(new JobSpec("job-7", "cnn", 3, "1f1b", 64, 1, 1, OptimizerConfig.adam(0.001, 0), 1, 0, 0,
                JobSpec.ADAPTIVE, JobSpec.Replication.DEFAULT), parse("{}"));
    }

    @Test
    void everyKeyIsRead() throws Exception {
        JobSpec spec = parse("""
                {"id": "tiny", "model": "mlp", "devices": 2, "epochs": 3, "schedule": "gpipe", "batch_size": 32,
                 "micro_batches": 2, "lr": 0.01, "seed": 9, "synthetic": 256, "limit": 128,
                 "planner": "speed-blind", "chain_period": 10, "global_period": 0, "replay_lost": false}""");
        assertEquals(new JobSpec("tiny", "mlp", 2, "gpipe", 32, 2, 3, OptimizerConfig.adam(0.01, 0), 9, 256, 128,
                JobSpec.SPEED_BLIND, new JobSpec.Replication(10, 0, false)), spec);
    }

    @Test
    void gpipeSplitsBatchesIntoFourByDefaultAsTheCliDoes() throws Exception {
        assertEquals(4, parse("{\"schedule\": \"gpipe\"}").microBatches());
        assertEquals(1, parse("{\"schedule\": \"1f1b\", \"micro_batches\": 1}").microBatches());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{                                  | malformed_json | not valid JSON",
            "[1]                                | malformed_json | must be a JSON object",
            "\"cnn\"                            | malformed_json | must be a JSON object",
            "{\"devices\": 2, \"devices\": 3}   | malformed_json | Duplicate field 'devices'",
            "{\"epochz\": 1}                    | unknown_key    | unknown key 'epochz' (known keys: id, model",
            "{\"model\": \"resnet\"}            | bad_value      | model must be one of mlp, cnn, mobilenetv2, got 'resnet'",
            "{\"model\": 5}                     | bad_value      | model must be a string, got 5",
            "{\"schedule\": \"pipedream\"}      | bad_value      | schedule must be one of 1f1b, 1f1b-overlap, gpipe",
            "{\"planner\": \"greedy\"}          | bad_value      | planner must be one of adaptive, speed-blind",
            "{\"devices\": 0}                   | bad_value      | devices must be between 1 and",
            "{\"devices\": \"3\"}               | bad_value      | devices must be an integer, got \"3\"",
            "{\"devices\": 2.5}                 | bad_value      | devices must be an integer, got 2.5",
            "{\"epochs\": 99999999999}          | bad_value      | epochs must be between 1 and 2147483647",
            "{\"synthetic\": -1}                | bad_value      | synthetic must be between 0 and",
            "{\"lr\": 0}                        | bad_value      | lr must be a number > 0",
            "{\"lr\": \"fast\"}                 | bad_value      | lr must be a number > 0",
            "{\"seed\": 1.5}                    | bad_value      | seed must be an integer",
            "{\"id\": \"a/b\"}                  | bad_value      | id: id 'a/b' must be 1-64 characters",
            "{\"micro_batches\": 4}             | bad_value      | micro_batches applies to the gpipe schedule only",
            "{\"schedule\": \"gpipe\", \"batch_size\": 10, \"micro_batches\": 4} | bad_value | the batch size a multiple of the micro-batches",
            "{\"chain_period\": -5}             | bad_value      | chain_period must be between 0 and",
            "{\"replay_lost\": \"yes\"}          | bad_value      | replay_lost",
    })
    void badBodiesSayWhatIsWrong(String json, String reason, String expected) {
        BadRequest e = assertThrows(BadRequest.class, () -> parse(json));
        assertEquals(reason, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains(expected), "'" + e.getMessage() + "' should contain '" + expected + "'");
    }

    @Test
    void anEmptyBodyIsRefusedWithAHint() {
        BadRequest e = assertThrows(BadRequest.class, () -> JobRequest.parse(new byte[0], () -> "j", files()));
        assertTrue(e.getMessage().contains("send {} for all defaults"), e.getMessage());
    }
}
