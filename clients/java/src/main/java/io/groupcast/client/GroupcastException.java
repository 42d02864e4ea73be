package io.groupcast.client;

import java.util.Optional;

/**
 * A request the server API refused or could not answer. {@link #code()} is Groupcast's error code ({@code
 * invalid_group}, {@code forbidden}, ...; docs/errors.md) or, where API Gateway answered itself, a code for its answer
 * ({@code forbidden} for a bad signature, {@code not_found}, {@code throttled}), or the client's own when no answer
 * came ({@code unreachable}, {@code attempt_timeout}, {@code call_timeout}, {@code interrupted}); {@link #status()} is
 * the HTTP status (0 when no answer came; 400 for a message the client could not even send, code {@code
 * malformed_json}); {@link #category()} says what a caller does about it; {@link #requestId()} is API Gateway's id of
 * the request, to find it in the stack's logs.
 */
public final class GroupcastException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What kind of refusal it is, by status. */
    public enum Category {
        /** 400, 405, 409 or 422: the request is wrong (a bad name, a key reused for another send); do not retry. */
        INVALID_REQUEST,
        /** 401 or 403: a bad or missing signature, credentials without execute-api:Invoke, or a reserved group. */
        ACCESS_DENIED,
        /** 404: no such route, or no live connection with that id ({@code connection_not_found}). */
        NOT_FOUND,
        /** 413: the message is over 128 KB. */
        PAYLOAD_TOO_LARGE,
        /** 429 after the client's retries: API Gateway's throttling, or a limit such as {@code too_many_links}. */
        THROTTLED,
        /**
         * 5xx or 409 {@code request_in_progress} after the client's retries, or no answer at all (status 0): try again
         * later (with the same idempotency key for a send).
         */
        UNAVAILABLE;

        static Category of(int status, String code) {
            if (code.equals("request_in_progress")) {
                return UNAVAILABLE;
            }
            return switch (status) {
                case 401, 403 -> ACCESS_DENIED;
                case 404 -> NOT_FOUND;
                case 413 -> PAYLOAD_TOO_LARGE;
                case 429 -> THROTTLED;
                case 0 -> UNAVAILABLE;
                default -> status >= 500 ? UNAVAILABLE : INVALID_REQUEST;
            };
        }
    }

    private final String code;
    private final int status;
    private final String requestId;

    GroupcastException(String code, int status, String message, Throwable cause) {
        this(code, status, message, Optional.empty(), cause);
    }

    GroupcastException(String code, int status, String message, Optional<String> requestId, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.status = status;
        this.requestId = requestId.orElse(null);
    }

    /** Groupcast's error code, e.g. {@code invalid_group}. */
    public String code() {
        return code;
    }

    /** The HTTP status, 0 when the server API could not be reached. */
    public int status() {
        return status;
    }

    /** What kind of refusal it is. */
    public Category category() {
        return Category.of(status, code);
    }

    /** API Gateway's request id ({@code apigw-requestid} or {@code x-amzn-RequestId}), when an answer came with one. */
    public Optional<String> requestId() {
        return Optional.ofNullable(requestId);
    }
}
