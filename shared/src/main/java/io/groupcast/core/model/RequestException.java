package io.groupcast.core.model;

import java.util.Objects;

/** A client's mistake: an {@link ErrorCode} (code and status) and a sentence that names the bad value. */
public final class RequestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public RequestException(ErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    /** What went wrong, as a stable code. */
    public ErrorCode code() {
        return code;
    }

    /** The HTTP status that answers this error. */
    public int status() {
        return code.status();
    }
}
