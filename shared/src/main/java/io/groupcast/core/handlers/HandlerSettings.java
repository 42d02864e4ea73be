package io.groupcast.core.handlers;

import java.time.Duration;

/**
 * How the event handler is called.
 *
 * @param timeout         the longest a client event waits for the handler ({@code EVENT_HANDLER_TIMEOUT_SECONDS})
 * @param maxPerSecond    client events one connection may send per second, as sends ({@code MAX_PUBLISHES_PER_SECOND})
 * @param connectHook     whether {@code $connect} asks the handler first ({@code CONNECT_HOOK})
 * @param allowOnFailure  whether a connect hook that fails lets the connection in ({@code CONNECT_HOOK_ON_FAILURE})
 */
public record HandlerSettings(Duration timeout, int maxPerSecond, boolean connectHook, boolean allowOnFailure) {
    /** The default timeout of a client event's handler call. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    /** The longest a handler call may be given: the message function's 15 s, less its fan-out and store reserve. */
    public static final Duration MAX_TIMEOUT = Duration.ofSeconds(10);

    /**
     * The longest the connect hook may take: {@code $connect} has 10 s (template.yaml), and its own store calls need
     * the rest.
     */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);

    /** Handler calls with the defaults: 5 s, 10 events a second, no connect hook. */
    public static final HandlerSettings DEFAULTS = new HandlerSettings(DEFAULT_TIMEOUT, 10, false, false);

    public HandlerSettings {
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException("timeout must be from 1 ms to " + MAX_TIMEOUT + ", was " + timeout);
        }
        if (maxPerSecond < 1) {
            throw new IllegalArgumentException("maxPerSecond must be at least 1, was " + maxPerSecond);
        }
    }

    /** The connect hook's timeout: this timeout, at most {@link #CONNECT_TIMEOUT}. */
    public Duration connectTimeout() {
        return timeout.compareTo(CONNECT_TIMEOUT) < 0 ? timeout : CONNECT_TIMEOUT;
    }
}
