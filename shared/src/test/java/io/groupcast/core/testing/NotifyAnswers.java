package io.groupcast.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.groupcast.core.model.Json;

/** Notify answers without the one field that differs on every run, {@code elapsedMs} (checked to be there). */
public final class NotifyAnswers {
    private NotifyAnswers() {}

    /** The answer's counts as compact JSON, e.g. {@code {"recipients":3,"delivered":3,...,"skipped":0}}. */
    public static String counts(String body) {
        JsonNode answer = Json.parse(body);
        if (!answer.path("elapsedMs").canConvertToLong()
                || answer.path("elapsedMs").asLong() < 0) {
            throw new AssertionError("no elapsedMs in " + body);
        }
        ObjectNode copy = ((ObjectNode) answer).deepCopy();
        copy.remove("elapsedMs");
        return copy.toString();
    }

    /** The counts JSON {@link #counts} gives for these numbers. */
    public static String expected(int recipients, int delivered, int gone, int failed, int skipped) {
        return "{\"recipients\":" + recipients + ",\"delivered\":" + delivered + ",\"gone\":" + gone + ",\"failed\":"
                + failed + ",\"skipped\":" + skipped + "}";
    }
}
