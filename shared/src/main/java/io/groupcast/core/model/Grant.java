package io.groupcast.core.model;

import java.util.Objects;
import java.util.Optional;

/**
 * A permission on some groups: every group, one group, or the groups whose names start with a prefix (written with
 * a trailing {@code *}, as in {@code room-*}). Never a reserved group: {@code user:} and {@code groupcast:} groups
 * stay out of reach whatever a connection is granted.
 */
public record Grant(Permission permission, Optional<String> groups) {
    /** The prefix of roles that are Groupcast's: {@code groupcast.joinLeaveGroup.room-*}. */
    public static final String ROLE_PREFIX = "groupcast.";

    public Grant {
        Objects.requireNonNull(permission, "permission");
        Objects.requireNonNull(groups, "groups");
    }

    /** The permission on every group. */
    public static Grant everywhere(Permission permission) {
        return new Grant(permission, Optional.empty());
    }

    /**
     * The permission on {@code groups}: a group name, or a prefix of names followed by {@code *}; a bad one is a
     * {@link RequestException} ({@code invalid_group}).
     */
    public static Grant on(Permission permission, String groups) {
        String name = groups.endsWith("*") ? groups.substring(0, groups.length() - 1) : groups;
        if (name.isEmpty()) {
            if (groups.isEmpty()) {
                throw new RequestException(ErrorCode.INVALID_GROUP, "an empty group; leave it out to mean every group");
            }
            return everywhere(permission);
        }
        Names.GROUP.check(name);
        if (name.startsWith(GroupName.USER_PREFIX) || name.startsWith(GroupName.INTERNAL_PREFIX)) {
            throw new RequestException(
                    ErrorCode.RESERVED_GROUP,
                    "groups starting with \"" + GroupName.USER_PREFIX + "\" or \"" + GroupName.INTERNAL_PREFIX
                            + "\" are reserved: no permission reaches them");
        }
        return new Grant(permission, Optional.of(groups));
    }

    /**
     * The grant a role names ({@code groupcast.joinLeaveGroup}, {@code groupcast.sendToGroup.room-*}), or why it is
     * not one. Roles not starting with {@code groupcast.} are another application's and are not grants.
     */
    public static Grant ofRole(String role) {
        String rest = role.substring(ROLE_PREFIX.length());
        int dot = rest.indexOf('.');
        String name = dot < 0 ? rest : rest.substring(0, dot);
        Permission permission = Permission.of(name)
                .orElseThrow(() -> new IllegalArgumentException(
                        "role " + Names.describe(role) + " names no permission; use groupcast.joinLeaveGroup or "
                                + "groupcast.sendToGroup, optionally followed by .<group> or .<prefix>*"));
        if (dot < 0) {
            return everywhere(permission);
        }
        try {
            return on(permission, rest.substring(dot + 1));
        } catch (RequestException e) {
            throw new IllegalArgumentException("role " + Names.describe(role) + ": " + e.getMessage(), e);
        }
    }

    /** Whether this grant allows {@code wanted} on {@code group}. */
    public boolean allows(Permission wanted, GroupName group) {
        return !group.isReserved() && covers(new Grant(wanted, Optional.of(group.value())));
    }

    /** Whether this grant allows all that {@code asked} does: the same permission on at least its groups. */
    public boolean covers(Grant asked) {
        if (asked.permission != permission) {
            return false;
        }
        if (groups.isEmpty()) {
            return true;
        }
        if (asked.groups.isEmpty()) {
            return false;
        }
        String mine = groups.get();
        String theirs = asked.groups.get();
        return mine.endsWith("*") ? theirs.startsWith(mine.substring(0, mine.length() - 1)) : theirs.equals(mine);
    }

    /** The role that names this grant: {@code groupcast.joinLeaveGroup.room-*}. */
    public String role() {
        return ROLE_PREFIX + permission.wire() + groups.map(g -> "." + g).orElse("");
    }
}
