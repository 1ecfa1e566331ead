package io.ftpipe.broker.json;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;

/**
 * How record components become JSON keys everywhere the central node publishes JSON: snake_case,
 * with milliseconds spelled {@code ms} as in every key written by hand ({@code compute_ms},
 * {@code upload_bytes_per_ms}): {@code predictedComputeMillis} is {@code predicted_compute_ms}.
 */
public final class JsonKeys extends PropertyNamingStrategies.SnakeCaseStrategy {
    @Override
    public String translate(String name) {
        String snake = super.translate(name);
        return snake == null ? null : snake.replaceAll("_millis?(?=_|$)", "_ms");
    }
}
