package io.ftpipe.broker.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The one mapper of every JSON the central node publishes: the status and event topics and the
 * management API's replies. Map keys are written as given; record components as {@link JsonKeys}.
 */
public final class PublishedJson {
    public static final ObjectMapper MAPPER = new ObjectMapper().setPropertyNamingStrategy(new JsonKeys());

    private PublishedJson() {
    }

    /** A tree, map or record of plain values as JSON bytes. */
    public static byte[] bytes(Object json) {
        try {
            return MAPPER.writeValueAsBytes(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("plain values always serialise", e);
        }
    }
}
