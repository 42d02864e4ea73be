package io.groupcast.core.model;

import java.time.Duration;

/** API Gateway's WebSocket limits that Groupcast honours (none of them can be raised). */
public final class ApiGatewayLimits {
    /** The largest message, in either direction: 128 KB. */
    public static final int MESSAGE_BYTES = 128 * 1024;
    /** The largest frame: 32 KB (larger messages travel as several frames). */
    public static final int FRAME_BYTES = 32 * 1024;
    /** API Gateway closes every connection after 2 hours. */
    public static final Duration MAX_CONNECTION_DURATION = Duration.ofHours(2);
    /** API Gateway closes a connection that was idle for 10 minutes. */
    public static final Duration IDLE_TIMEOUT = Duration.ofMinutes(10);

    private ApiGatewayLimits() {}
}
