package io.groupcast.core.groups;

import io.groupcast.core.model.Connection;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.ErrorCode;
import io.groupcast.core.model.Grant;
import io.groupcast.core.model.Grants;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.Names;
import io.groupcast.core.model.Permission;
import io.groupcast.core.model.RequestException;
import io.groupcast.core.store.GrantStore;
import io.groupcast.core.store.MembershipStore;
import java.time.Clock;
import java.util.Optional;

/**
 * Who may join, leave and publish to which groups, modelled on Azure Web PubSub and denying by default: a connection
 * may do what its token's roles grant, join and leave the stack's public groups, and do what the server granted it
 * (a grant lives as long as the connection). Reserved groups ({@code user:}, {@code groupcast:}) stay out of reach.
 */
public record Permissions(MembershipStore store, GrantStore granted, Grants publicGroups, Clock clock) {
    /** Refuses with {@code forbidden} unless the connection may do {@code permission} on {@code group}. */
    public void require(Connection connection, Permission permission, GroupName group) {
        Grant asked = new Grant(permission, Optional.of(group.value()));
        if (group.isReserved() || !allowed(connection.roles(), connection.id(), asked)) {
            throw new RequestException(
                    ErrorCode.FORBIDDEN,
                    "this connection may not "
                            + (permission == Permission.JOIN_LEAVE_GROUP ? "join or leave" : "send to") + " group "
                            + Names.describe(group.value()) + ": it needs " + permission.wire()
                            + " from its token's roles, the stack's PublicGroups, or the server");
        }
    }

    /**
     * Refuses with {@code forbidden} a join's rewind unless the connection may join the group by its token's roles or
     * the server's grants: a public group lets anyone in, but not into what was said before they came.
     */
    public void requireRewind(Connection connection, GroupName group) {
        Grant asked = new Grant(Permission.JOIN_LEAVE_GROUP, Optional.of(group.value()));
        if (!connection.roles().covers(asked)
                && !granted.grants(connection.id(), clock.instant()).covers(asked)) {
            throw new RequestException(
                    ErrorCode.FORBIDDEN,
                    "this connection may not rewind group " + Names.describe(group.value()) + ": reading what was sent"
                            + " before it joined needs " + Permission.JOIN_LEAVE_GROUP.wire()
                            + " from its token's roles or the server, not the stack's PublicGroups");
        }
    }

    /** Grants a live connection {@code permission} on {@code groups} (every group when empty) for its lifetime. */
    public void grant(ConnectionId connection, Permission permission, Optional<String> groups) {
        Connection live = live(connection);
        granted.grant(connection, grant(permission, groups), live.expiresAt());
    }

    /** Takes back what {@link #grant} gave; a no-op when it was not given. */
    public void revoke(ConnectionId connection, Permission permission, Optional<String> groups) {
        granted.revoke(connection, grant(permission, groups));
    }

    /** Whether a live connection may do {@code permission} on {@code groups} (on every group when empty). */
    public boolean check(ConnectionId connection, Permission permission, Optional<String> groups) {
        return allowed(live(connection).roles(), connection, grant(permission, groups));
    }

    private boolean allowed(Grants roles, ConnectionId connection, Grant asked) {
        return roles.covers(asked)
                || (asked.permission() == Permission.JOIN_LEAVE_GROUP && publicGroups.covers(asked))
                || granted.grants(connection, clock.instant()).covers(asked);
    }

    private Connection live(ConnectionId connection) {
        return store.connection(connection, clock.instant())
                .orElseThrow(() -> new RequestException(
                        ErrorCode.CONNECTION_NOT_FOUND,
                        "there is no live connection " + Names.describe(connection.value())));
    }

    private static Grant grant(Permission permission, Optional<String> groups) {
        return groups.map(g -> Grant.on(permission, g)).orElse(Grant.everywhere(permission));
    }
}
