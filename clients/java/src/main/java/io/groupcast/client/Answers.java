package io.groupcast.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/** The server API's answers as values: counts of a send or a close, a notification's progress, a refusal. */
final class Answers {
    private Answers() {}

    /** The JSON body of a 2xx answer; a body that is not JSON is a {@code malformed_answer} exception. */
    static JsonNode body(Transport.Answer answer) {
        try {
            return Json.parseAnswer(answer.body());
        } catch (JsonProcessingException e) {
            throw new GroupcastException(
                    "malformed_answer",
                    answer.status(),
                    "the server API answered " + answer.status() + " with a body that is not JSON: "
                            + e.getOriginalMessage(),
                    answer.requestId(),
                    e);
        }
    }

    static SendResult sent(JsonNode answer) {
        JsonNode notification = answer.path("notificationId");
        return new SendResult(
                answer.path("recipients").asInt(),
                answer.path("delivered").asInt(),
                answer.path("gone").asInt(),
                answer.path("failed").asInt(),
                answer.path("skipped").asInt(),
                answer.path("elapsedMs").asLong(),
                notification.isTextual() ? Optional.of(notification.asText()) : Optional.empty(),
                answer.path("duplicate").asBoolean());
    }

    static CloseResult closed(JsonNode answer) {
        return new CloseResult(
                answer.path("closed").asInt(),
                answer.path("gone").asInt(),
                answer.path("failed").asInt(),
                answer.path("skipped").asInt());
    }

    static NotificationStatus status(JsonNode answer) {
        return new NotificationStatus(
                answer.path("notificationId").asText(),
                answer.path("status").asText(),
                answer.path("recipients").asLong(),
                answer.path("delivered").asLong(),
                answer.path("gone").asLong(),
                answer.path("failed").asLong(),
                answer.path("skipped").asLong(),
                answer.path("slices").path("deadLettered").asInt());
    }

    /** Groupcast's {@code {"error","message"}}, or API Gateway's own {@code {"message"}}, as an exception. */
    static GroupcastException refusal(Transport.Answer answer) {
        String code;
        String message;
        try {
            JsonNode body = Json.WIRE.readTree(answer.body());
            code = body.path("error").asText("");
            message = body.path("message").asText(answer.body());
        } catch (JsonProcessingException e) {
            code = "";
            message = answer.body();
        }
        if (code.isEmpty()) {
            code = switch (answer.status()) {
                case 401, 403 -> "forbidden";
                case 404 -> "not_found";
                case 413 -> "message_too_large";
                case 429 -> "throttled";
                default -> answer.status() >= 500 ? "service_unavailable" : "bad_request";
            };
        }
        String id = answer.requestId()
                .map(requestId -> " (request id " + requestId + ")")
                .orElse("");
        return new GroupcastException(
                code, answer.status(), answer.status() + " " + code + ": " + message + id, answer.requestId(), null);
    }
}
