package io.ftpipe.broker.coap;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.ftpipe.broker.json.JsonKeys;

/**
 * The body of {@code POST /jobs} as written, bound by {@link io.ftpipe.broker.json.JsonBinding}:
 * snake_case keys, each null when the body leaves it out. Counts are {@code Long} so that one
 * beyond {@code int} is refused with the range it must be in, like any other count out of range.
 */
@JsonNaming(JsonKeys.class)
record JobRequestBody(String id, String model, Long devices, Long epochs, String schedule, Long batchSize,
                      Long microBatches, @JsonPropertyDescription(JobRequest.POSITIVE) Double lr, Long seed,
                      Long synthetic, Long limit, String planner, Long chainPeriod, Long globalPeriod,
                      Boolean replayLost, String data, String normalize, Boolean init, String wireDtype) {
}
