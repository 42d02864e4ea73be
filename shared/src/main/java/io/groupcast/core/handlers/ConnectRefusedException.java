package io.groupcast.core.handlers;

import io.groupcast.core.model.ErrorCode;
import java.util.Optional;

/**
 * {@code $connect} refused by the connect hook: with the status and reason it answered ({@code connect_refused}), or
 * with 503 because it timed out or failed ({@code connect_hook_failed}; {@link #failure} says why, for the logs only).
 */
public final class ConnectRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final ErrorCode code;
    private final transient Optional<String> failure;

    public ConnectRefusedException(int status, ErrorCode code, String reason, Optional<String> failure) {
        super(reason);
        this.status = status;
        this.code = code;
        this.failure = failure;
    }

    /** The status the upgrade is refused with. */
    public int status() {
        return status;
    }

    /** {@code connect_refused} or {@code connect_hook_failed}. */
    public ErrorCode code() {
        return code;
    }

    /** Why the hook failed, when it did (never shown to the client). */
    public Optional<String> failure() {
        return failure;
    }
}
