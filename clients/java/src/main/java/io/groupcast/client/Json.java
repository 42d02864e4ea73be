package io.groupcast.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Objects;

/** The wire's JSON: request bodies and answers, with a mapper of its own (the caller's is for messages only). */
final class Json {
    static final ObjectMapper WIRE = new ObjectMapper();

    private Json() {}

    /** JSON text the caller gave as a message, or a {@code malformed_json} refusal that says what is wrong. */
    static JsonNode parseMessage(String text) {
        try {
            return WIRE.readTree(Objects.requireNonNull(text, "message"));
        } catch (JsonProcessingException e) {
            throw new GroupcastException(
                    "malformed_json", 400, "the message is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Any value as JSON through the caller's mapper (a {@code String} becomes a JSON string). */
    static JsonNode tree(ObjectMapper mapper, Object message) {
        try {
            return mapper.valueToTree(Objects.requireNonNull(message, "message"));
        } catch (IllegalArgumentException e) {
            throw new GroupcastException(
                    "malformed_json", 400, "the message cannot be serialized as JSON: " + e.getMessage(), e);
        }
    }

    static byte[] bytes(JsonNode body) {
        try {
            return WIRE.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new GroupcastException("malformed_json", 400, e.getOriginalMessage(), e);
        }
    }

    /** An answer's body; an empty one is an empty object. */
    static JsonNode parseAnswer(String body) throws JsonProcessingException {
        return body.isEmpty() ? WIRE.createObjectNode() : WIRE.readTree(body);
    }
}
