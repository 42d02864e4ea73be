package io.groupcast.functions.edge;

import io.groupcast.core.delivery.FanoutResult;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What one invocation did: the answer API Gateway gets, and the log line and metrics that record it.
 *
 * @param <T> the answer's type (an HTTP response, a WebSocket status, an authorizer policy)
 */
public final class Outcome<T> {
    private final T answer;
    private final String message;
    private final Map<String, Object> fields = new LinkedHashMap<>();
    private final Map<String, Number> counts = new LinkedHashMap<>();
    private final Map<String, Long> millis = new LinkedHashMap<>();
    private boolean warn;

    private Outcome(T answer, String message) {
        this.answer = Objects.requireNonNull(answer, "answer");
        this.message = Objects.requireNonNull(message, "message");
    }

    /** {@code answer}, logged as {@code message}. */
    public static <T> Outcome<T> of(T answer, String message) {
        return new Outcome<>(answer, message);
    }

    /** Adds a field to the log line. */
    public Outcome<T> with(String field, Object value) {
        fields.put(field, value);
        return this;
    }

    /** Adds a Count metric. */
    public Outcome<T> count(String metric, Number value) {
        counts.put(metric, value);
        return this;
    }

    /** Adds a Milliseconds metric. */
    public Outcome<T> millis(String metric, long value) {
        millis.put(metric, value);
        return this;
    }

    /**
     * A fan-out's counts (and why the failed posts failed) in the log line and metrics; logged at WARN when some
     * recipients were not reached.
     */
    public Outcome<T> fanout(FanoutResult result, long elapsedMs) {
        return warnWhen(result.failed() + result.skipped() > 0)
                .with("recipients", result.recipients())
                .with("delivered", result.delivered())
                .with("gone", result.gone())
                .with("failed", result.failed())
                .with("skipped", result.skipped())
                .with("failures", result.failures())
                .with("elapsedMs", elapsedMs)
                .count(Metrics.RECIPIENTS, result.recipients())
                .count(Metrics.DELIVERED, result.delivered())
                .count(Metrics.GONE, result.gone())
                .count(Metrics.FAILED, result.failed())
                .count(Metrics.SKIPPED, result.skipped())
                .millis(Metrics.FANOUT_DURATION, elapsedMs);
    }

    /** A failure of the application's handler (never shown to clients): logged at WARN and counted. */
    public Outcome<T> hookFailure(Optional<String> failure) {
        failure.ifPresent(why ->
                with("handlerFailure", why).count(Metrics.HANDLER_ERRORS, 1).warnWhen(true));
        return this;
    }

    /** Logs at WARN instead of INFO when {@code condition} holds. */
    public Outcome<T> warnWhen(boolean condition) {
        warn = condition;
        return this;
    }

    T answer() {
        return answer;
    }

    String message() {
        return message;
    }

    Map<String, Object> fields() {
        return fields;
    }

    Map<String, Number> counts() {
        return counts;
    }

    Map<String, Long> millis() {
        return millis;
    }

    boolean warn() {
        return warn;
    }
}
