package io.groupcast.core.delivery;

/** What became of one post to one connection. */
public enum PostOutcome {
    /** The management API accepted the message. */
    DELIVERED("delivered"),
    /** 410 Gone: the connection no longer exists (or is still inside {@code $connect}). */
    GONE("410"),
    /** 429 LimitExceeded: nothing was delivered; the post may be tried again. */
    THROTTLED("429"),
    /** A 5xx: nothing was delivered; the post may be tried again. */
    SERVER_ERROR("5xx"),
    /** 403 Forbidden: a policy or stage mismatch. */
    FORBIDDEN("403"),
    /** 413 Payload Too Large. */
    TOO_LARGE("413"),
    /** No answer within the post's timeout: it may or may not have arrived, so it is not tried again. */
    TIMED_OUT("timeout"),
    /** Any other answer or a transport error. */
    FAILED("error");

    private final String reason;

    PostOutcome(String reason) {
        this.reason = reason;
    }

    /** Whether nothing was delivered and the same post may be tried again (429, 5xx). */
    public boolean retryable() {
        return this == THROTTLED || this == SERVER_ERROR;
    }

    /** The status or cause, as logs name it: {@code 403}, {@code 413}, {@code timeout}. */
    public String reason() {
        return reason;
    }
}
