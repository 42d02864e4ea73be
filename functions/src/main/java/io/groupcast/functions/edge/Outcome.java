package io.groupcast.functions.edge;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

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
