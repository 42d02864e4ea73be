package io.groupcast.core.notify;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.groupcast.core.delivery.FanoutResult;
import io.groupcast.core.model.Json;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * The answer to a notify: the fan-out's counts and how long it took; {@code failures} (why the failed ones failed,
 * for the logs) is not part of the answer. {@code notificationId} is there when the workers deliver (the rest of) it;
 * {@code duplicate} when the notify repeated an {@code idempotencyKey} and was answered as the first was.
 */
public record NotifyResult(
        int recipients,
        int delivered,
        int gone,
        int failed,
        int skipped,
        long elapsedMs,
        @JsonIgnore Map<String, Integer> failures,
        @JsonIgnore Optional<String> notificationId,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean duplicate) {
    public NotifyResult {
        failures = Map.copyOf(failures);
    }

    /** The fan-out's counts. */
    @JsonIgnore
    public FanoutResult fanout() {
        return new FanoutResult(recipients, delivered, gone, failed, skipped, failures);
    }

    static NotifyResult of(FanoutResult fanout, long elapsedMs) {
        return new NotifyResult(
                fanout.recipients(),
                fanout.delivered(),
                fanout.gone(),
                fanout.failed(),
                fanout.skipped(),
                elapsedMs,
                fanout.failures(),
                Optional.empty(),
                false);
    }

    /** Handed to the workers whole: nothing delivered yet. */
    static NotifyResult accepted(String notificationId, long elapsedMs) {
        return of(FanoutResult.NONE, elapsedMs).handedOff(notificationId);
    }

    /** These counts so far, the rest handed to the workers as {@code notificationId}. */
    NotifyResult handedOff(String notificationId) {
        return new NotifyResult(
                recipients, delivered, gone, failed, skipped, elapsedMs, failures, Optional.of(notificationId), false);
    }

    /** The answer as an idempotency record keeps it. */
    byte[] record() {
        ObjectNode record = Json.mapper().valueToTree(this);
        notificationId.ifPresent(id -> record.put("notificationId", id));
        return Json.bytes(record);
    }

    /** The answer an idempotency record kept, given again to a repeat. */
    static NotifyResult repeated(byte[] record) {
        JsonNode kept = Json.parse(new String(record, StandardCharsets.UTF_8));
        return new NotifyResult(
                kept.path("recipients").asInt(),
                kept.path("delivered").asInt(),
                kept.path("gone").asInt(),
                kept.path("failed").asInt(),
                kept.path("skipped").asInt(),
                kept.path("elapsedMs").asLong(),
                Map.of(),
                Optional.ofNullable(kept.path("notificationId").textValue()),
                true);
    }
}
