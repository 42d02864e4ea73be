package io.groupcast.core.connections;

/**
 * What one user may hold at once, so that no user can exhaust the table or lock itself out.
 *
 * @param maxConnections live connections of one user; {@code $connect} refuses the next one ({@code
 *     MAX_CONNECTIONS_PER_USER}, default 100)
 * @param maxLinks       groups one user may be linked to ({@code MAX_LINKS_PER_USER}, default 100): {@code $connect}
 *     joins each linked group within its 10-second limit, about 20 ms a link
 */
public record UserLimits(int maxConnections, int maxLinks) {
    /** The defaults: 100 connections, 100 links. */
    public static final UserLimits DEFAULTS = new UserLimits(100, 100);

    /** The most connections one user may hold at once ({@code MaxConnectionsPerUser}'s range). */
    public static final int MAX_CONNECTIONS = 10_000;

    /** The most groups one user may be linked to ({@code MaxLinksPerUser}'s range). */
    public static final int MAX_LINKS = 250;

    public UserLimits {
        if (maxConnections < 1 || maxLinks < 1) {
            throw new IllegalArgumentException("user limits must be at least 1: " + maxConnections + ", " + maxLinks);
        }
    }
}
