package io.groupcast.core.store;

import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.UserId;
import java.time.Instant;
import java.util.Map;

/** Users linked to groups: a linked user's connections, now and future, are members of the group. */
public interface LinkStore {
    /** Links a user to a group until {@code expiresAt}; linking again moves the expiry. */
    void link(UserId user, GroupName group, Instant expiresAt);

    /** Removes a user's link to a group (its connections' memberships are the {@link MembershipStore}'s). */
    void unlink(UserId user, GroupName group);

    /** The user's live links, in group name order, and when each expires. */
    Map<GroupName, Instant> links(UserId user, Instant now);
}
