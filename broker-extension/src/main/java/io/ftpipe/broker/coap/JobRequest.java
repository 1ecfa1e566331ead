package io.ftpipe.broker.coap;

import com.fasterxml.jackson.databind.JsonNode;
import io.ftpipe.broker.central.JobDefaults;
import io.ftpipe.broker.central.JobSpec;
import io.ftpipe.broker.configuration.UserFiles;
import io.ftpipe.broker.json.JsonBinding;
import io.ftpipe.broker.json.JsonBindingException;
import io.ftpipe.protocol.Schedule;
import io.ftpipe.protocol.Topics;
import io.ftpipe.zoo.data.NormalizationChoice;
import io.ftpipe.zoo.importer.ImportException;
import io.ftpipe.zoo.importer.ImportOptions;
import io.ftpipe.zoo.model.LoadedModel;
import io.ftpipe.zoo.model.ModelZoo;
import io.ftpipe.zoo.optim.OptimizerConfig;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

/**
 * The body of {@code POST /jobs}: a JSON object whose keys mirror the options of {@code ftpipe demo}
 * and {@code ftpipe broker --train}, in snake_case, with the same defaults ({@link JobDefaults}).
 * Every key is optional. A model file ({@code .onnx}) and {@code data} name files under the central
 * node's {@link UserFiles} folders, nothing else. Anything wrong is a {@link BadRequest} that names
 * the key and says what was expected, so a client never starts a job it did not mean.
 */
public final class JobRequest {
    static final String ID = "id";
    static final String MODEL = "model";
    static final String DEVICES = "devices";
    static final String EPOCHS = "epochs";
    static final String SCHEDULE = "schedule";
    static final String BATCH_SIZE = "batch_size";
    static final String MICRO_BATCHES = "micro_batches";
    static final String LR = "lr";
    static final String SYNTHETIC = "synthetic";
    static final String LIMIT = "limit";
    static final String PLANNER = "planner";
    static final String CHAIN_PERIOD = "chain_period";
    static final String GLOBAL_PERIOD = "global_period";
    static final String DATA = "data";
    static final String NORMALIZE = "normalize";
    static final String INIT = "init";
    static final String POSITIVE = "a number > 0";

    private JobRequest() {
    }

    /**
     * @param body      the request payload (UTF-8 JSON)
     * @param freshId   gives the id to use when the body names none
     * @param files     the folders a model file and a data set must be in
     */
    public static JobSpec parse(byte[] body, Supplier<String> freshId, UserFiles files) throws BadRequest {
        JsonNode tree = object(body);
        JobRequestBody request;
        try {
            request = JsonBinding.bind(tree, JobRequestBody.class);
        } catch (JsonBindingException e) {
            throw new BadRequest(e.kind() == JsonBindingException.Kind.UNKNOWN_KEY ? BadRequest.UNKNOWN_KEY
                    : BadRequest.BAD_VALUE, e.getMessage());
        }
        String id = request.id() != null ? request.id() : freshId.get();
        try {
            Topics.checkLevel(id);
        } catch (IllegalArgumentException e) {
            throw bad(ID + ": " + e.getMessage());
        }
        String model = model(request.model(), files);
        String schedule = oneOf(SCHEDULE, request.schedule(), Schedule.names(), JobDefaults.SCHEDULE);
        String planner = oneOf(PLANNER, request.planner(), JobSpec.PLANNERS, JobDefaults.PLANNER);
        int devices = count(DEVICES, request.devices(), 1, JobDefaults.DEVICES);
        int epochs = count(EPOCHS, request.epochs(), 1, JobDefaults.EPOCHS);
        int batchSize = count(BATCH_SIZE, request.batchSize(), 1, JobDefaults.BATCH_SIZE);
        int microBatches = microBatches(request.microBatches(), schedule);
        double lr = request.lr() != null ? request.lr() : JobDefaults.LR;
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw bad(LR + " must be " + POSITIVE + ", got " + tree.get(LR));
        }
        long seed = request.seed() != null ? request.seed() : JobDefaults.SEED;
        int synthetic = count(SYNTHETIC, request.synthetic(), 0, JobDefaults.SYNTHETIC);
        int limit = count(LIMIT, request.limit(), 0, JobDefaults.LIMIT);
        int chain = count(CHAIN_PERIOD, request.chainPeriod(), 0, JobDefaults.CHAIN_PERIOD);
        int global = count(GLOBAL_PERIOD, request.globalPeriod(), 0, JobDefaults.GLOBAL_PERIOD);
        JobSpec.Sources sources = sources(request, files);
        if (sources.data() != null && synthetic > 0) {
            throw bad(DATA + " and " + SYNTHETIC + " exclude each other");
        }
        try {
            return new JobSpec(id, model, devices, schedule, batchSize, microBatches, epochs,
                    OptimizerConfig.adam(lr, 0), seed, synthetic, limit, planner,
                    new JobSpec.Replication(chain, global,
                            request.replayLost() != null ? request.replayLost() : JobDefaults.REPLAY_LOST), sources,
                    request.wireDtype());
        } catch (IllegalArgumentException e) {
            // The combinations JobSpec itself checks (e.g. a batch size not a multiple of the micro-batches).
            throw bad(e.getMessage());
        }
    }

    /** A zoo model by name, or an ONNX file under the models folder. */
    private static String model(String requested, UserFiles files) throws BadRequest {
        if (requested == null || !LoadedModel.isOnnxFile(requested)) {
            return oneOf(MODEL, requested, ModelZoo.NAMES, JobDefaults.MODEL);
        }
        String file;
        try {
            file = files.model(MODEL, requested).toString();
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
        // A model it cannot train is refused now, not after devices have been taken for it.
        try {
            LoadedModel.load(file, ImportOptions.defaults());
        } catch (ImportException e) {
            throw bad(MODEL + " '" + requested + "': " + e.getMessage());
        }
        return file;
    }

    private static JobSpec.Sources sources(JobRequestBody request, UserFiles files) throws BadRequest {
        String normalize = request.normalize() != null ? request.normalize() : JobDefaults.NORMALIZE;
        try {
            String data = request.data() == null ? null : files.data(DATA, request.data()).toString();
            NormalizationChoice.parse(normalize);
            return new JobSpec.Sources(data, normalize, Boolean.TRUE.equals(request.init()));
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
    }

    private static JsonNode object(byte[] body) throws BadRequest {
        if (body == null || body.length == 0) {
            throw new BadRequest(BadRequest.MALFORMED_JSON, "the body must be a JSON object of job settings, got "
                    + "nothing (send {} for all defaults)");
        }
        JsonNode root;
        try {
            root = JsonBinding.parse(new String(body, StandardCharsets.UTF_8));
        } catch (JsonBindingException e) {
            throw new BadRequest(BadRequest.MALFORMED_JSON, "the body " + e.getMessage());
        }
        if (!root.isObject()) {
            throw new BadRequest(BadRequest.MALFORMED_JSON, "the body must be a JSON object of job settings, got "
                    + (root.isMissingNode() ? "nothing" : root.getNodeType().toString().toLowerCase()));
        }
        return root;
    }

    /** 1F1B sends each batch as one micro-batch; GPipe splits it (the CLI's rule). */
    private static int microBatches(Long requested, String schedule) throws BadRequest {
        if (Schedule.named(schedule).accumulates()) {
            return count(MICRO_BATCHES, requested, 1, JobDefaults.GPIPE_MICRO_BATCHES);
        }
        // The CLI ignores --micro-batches for 1f1b; an API should say so rather than drop a setting.
        if (requested != null && count(MICRO_BATCHES, requested, 1, 1) != 1) {
            throw bad(MICRO_BATCHES + " applies to the gpipe schedule only (1f1b sends each batch as one "
                    + "micro-batch)");
        }
        return 1;
    }

    private static String oneOf(String key, String value, List<String> allowed, String fallback) throws BadRequest {
        String chosen = value != null ? value : fallback;
        if (!allowed.contains(chosen)) {
            throw bad(key + " must be one of " + String.join(", ", allowed) + ", got '" + chosen + "'");
        }
        return chosen;
    }

    private static int count(String key, Long value, int min, int fallback) throws BadRequest {
        if (value == null) {
            return fallback;
        }
        if (value < min || value > Integer.MAX_VALUE) {
            throw bad(key + " must be between " + min + " and " + Integer.MAX_VALUE + ", got " + value);
        }
        return value.intValue();
    }

    private static BadRequest bad(String message) {
        return new BadRequest(BadRequest.BAD_VALUE, message);
    }
}
