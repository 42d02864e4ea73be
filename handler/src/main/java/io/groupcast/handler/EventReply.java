package io.groupcast.handler;

import java.util.Objects;

/**
 * The answer to a client event: {@code {"data":R}}, which the client gets in its ack, or
 * {@code {"error":{"code":C,"message":M}}}, which it gets as an error frame with that code.
 */
public class EventReply {
    private final Object data;
    private final Refusal error;

    private EventReply(Object data, Refusal error) {
        this.data = data;
        this.error = error;
    }

    /** A reply carrying {@code data} (any value Lambda's runtime writes as JSON; null too). */
    public static EventReply data(Object data) {
        return new EventReply(data, null);
    }

    /** A refusal with your own {@code code} (1-64 letters, digits or _ - . :) and {@code message}. */
    public static EventReply error(String code, String message) {
        return new EventReply(null, new Refusal(Objects.requireNonNull(code, "code"), message));
    }

    /** The reply's data; null for a refusal. */
    public Object getData() {
        return data;
    }

    /** The refusal; null for a reply. */
    public Refusal getError() {
        return error;
    }

    /** A refusal's code and message. */
    public static class Refusal {
        private final String code;
        private final String message;

        Refusal(String code, String message) {
            this.code = code;
            this.message = message;
        }

        /** The code the client's error frame carries. */
        public String getCode() {
            return code;
        }

        /** The sentence the client's error frame carries. */
        public String getMessage() {
            return message;
        }
    }
}
