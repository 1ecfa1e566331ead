package io.ftpipe.broker.coap;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ftpipe.broker.central.JobSpec;
import io.ftpipe.protocol.Schedule;
import io.ftpipe.protocol.Topics;
import io.ftpipe.zoo.model.ModelZoo;
import io.ftpipe.zoo.optim.OptimizerConfig;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * The body of {@code POST /jobs}: a JSON object whose keys mirror the options of {@code ftpipe demo}
 * and {@code ftpipe broker --train}, in snake_case, with the same defaults (cli {@code JobOptions}).
 * Every key is optional. Parsing is a pure function: anything wrong is a {@link BadRequest} that
 * names the key and says what was expected, so a client never starts a job it did not mean.
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
    static final String SEED = "seed";
    static final String SYNTHETIC = "synthetic";
    static final String LIMIT = "limit";
    static final String PLANNER = "planner";
    static final String CHAIN_PERIOD = "chain_period";
    static final String GLOBAL_PERIOD = "global_period";
    static final List<String> KEYS = List.of(ID, MODEL, DEVICES, EPOCHS, SCHEDULE, BATCH_SIZE, MICRO_BATCHES, LR,
            SEED, SYNTHETIC, LIMIT, PLANNER, CHAIN_PERIOD, GLOBAL_PERIOD);

    // The CLI's defaults (cli/.../demo/JobOptions.java); JobRequestDefaultsTest in cli keeps them equal.
    static final String DEFAULT_MODEL = "cnn";
    static final int DEFAULT_DEVICES = 3;
    static final int DEFAULT_EPOCHS = 1;
    static final String DEFAULT_SCHEDULE = Schedule.Names.ONE_F_ONE_B;
    static final int DEFAULT_BATCH_SIZE = 64;
    static final int DEFAULT_GPIPE_MICRO_BATCHES = 4;
    static final double DEFAULT_LR = 0.001;
    static final long DEFAULT_SEED = 1;

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private JobRequest() {
    }

    /**
     * @param body      the request payload (UTF-8 JSON)
     * @param freshId   gives the id to use when the body names none
     */
    public static JobSpec parse(byte[] body, java.util.function.Supplier<String> freshId) throws BadRequest {
        ObjectNode object = object(body);
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!KEYS.contains(name)) {
                throw new BadRequest(BadRequest.UNKNOWN_KEY, "unknown key '" + name + "' (known keys: "
                        + String.join(", ", KEYS) + ")");
            }
        }
        String id = text(object, ID).orElseGet(freshId);
        try {
            Topics.checkLevel(id);
        } catch (IllegalArgumentException e) {
            throw bad(ID + ": " + e.getMessage());
        }
        String model = oneOf(object, MODEL, ModelZoo.NAMES, DEFAULT_MODEL);
        String schedule = oneOf(object, SCHEDULE, Schedule.names(), DEFAULT_SCHEDULE);
        String planner = oneOf(object, PLANNER, JobSpec.PLANNERS, JobSpec.ADAPTIVE);
        int devices = integer(object, DEVICES, 1, DEFAULT_DEVICES);
        int epochs = integer(object, EPOCHS, 1, DEFAULT_EPOCHS);
        int batchSize = integer(object, BATCH_SIZE, 1, DEFAULT_BATCH_SIZE);
        int microBatches = microBatches(object, schedule);
        double lr = number(object, LR, DEFAULT_LR);
        long seed = object.has(SEED) ? longInteger(object, SEED) : DEFAULT_SEED;
        int synthetic = integer(object, SYNTHETIC, 0, 0);
        int limit = integer(object, LIMIT, 0, 0);
        JobSpec.Replication defaults = JobSpec.Replication.DEFAULT;
        int chain = integer(object, CHAIN_PERIOD, 0, defaults.chainPeriod());
        int global = integer(object, GLOBAL_PERIOD, 0, defaults.globalPeriod());
        try {
            return new JobSpec(id, model, devices, schedule, batchSize, microBatches, epochs,
                    OptimizerConfig.adam(lr, 0), seed, synthetic, limit, planner,
                    new JobSpec.Replication(chain, global));
        } catch (IllegalArgumentException e) {
            // The combinations JobSpec itself checks (e.g. a batch size not a multiple of the micro-batches).
            throw bad(e.getMessage());
        }
    }

    private static ObjectNode object(byte[] body) throws BadRequest {
        if (body == null || body.length == 0) {
            throw new BadRequest(BadRequest.MALFORMED_JSON, "the body must be a JSON object of job settings, got "
                    + "nothing (send {} for all defaults)");
        }
        JsonNode root;
        try {
            root = JSON.readTree(new String(body, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")";
            throw new BadRequest(BadRequest.MALFORMED_JSON, "the body is not valid JSON: " + e.getOriginalMessage()
                    + where);
        }
        if (!(root instanceof ObjectNode object)) {
            throw new BadRequest(BadRequest.MALFORMED_JSON, "the body must be a JSON object of job settings, got "
                    + (root == null || root.isMissingNode() ? "nothing" : root.getNodeType().toString().toLowerCase()));
        }
        return object;
    }

    /** 1F1B sends each batch as one micro-batch; GPipe splits it (the CLI's rule). */
    private static int microBatches(ObjectNode object, String schedule) throws BadRequest {
        if (Schedule.named(schedule).accumulates()) {
            return integer(object, MICRO_BATCHES, 1, DEFAULT_GPIPE_MICRO_BATCHES);
        }
        // The CLI ignores --micro-batches for 1f1b; an API should say so rather than drop a setting.
        if (object.has(MICRO_BATCHES) && integer(object, MICRO_BATCHES, 1, 1) != 1) {
            throw bad(MICRO_BATCHES + " applies to the gpipe schedule only (1f1b sends each batch as one "
                    + "micro-batch)");
        }
        return 1;
    }

    private static Optional<String> text(ObjectNode object, String key) throws BadRequest {
        JsonNode node = object.get(key);
        if (node == null) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            throw bad(key + " must be a string, got " + node);
        }
        return Optional.of(node.asText());
    }

    private static String oneOf(ObjectNode object, String key, List<String> allowed, String fallback)
            throws BadRequest {
        String value = text(object, key).orElse(fallback);
        if (!allowed.contains(value)) {
            throw bad(key + " must be one of " + String.join(", ", allowed) + ", got '" + value + "'");
        }
        return value;
    }

    private static int integer(ObjectNode object, String key, int min, int fallback) throws BadRequest {
        if (!object.has(key)) {
            return fallback;
        }
        long value = longInteger(object, key);
        if (value < min || value > Integer.MAX_VALUE) {
            throw bad(key + " must be between " + min + " and " + Integer.MAX_VALUE + ", got " + value);
        }
        return (int) value;
    }

    private static long longInteger(ObjectNode object, String key) throws BadRequest {
        JsonNode node = object.get(key);
        // "64" in quotes and 64.0 are refused rather than coerced, as in the extension's config file.
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw bad(key + " must be an integer, got " + node);
        }
        return node.asLong();
    }

    private static double number(ObjectNode object, String key, double fallback) throws BadRequest {
        JsonNode node = object.get(key);
        if (node == null) {
            return fallback;
        }
        if (!node.isNumber() || !(node.asDouble() > 0) || Double.isInfinite(node.asDouble())) {
            throw bad(key + " must be a number > 0, got " + node);
        }
        return node.asDouble();
    }

    private static BadRequest bad(String message) {
        return new BadRequest(BadRequest.BAD_VALUE, message);
    }
}
