package io.groupcast.core.model;

/** A group's name; {@code user:{userId}} is the group every connection of that user joins. */
public record GroupName(String value) {
    /** Prefix of the per-user groups; clients cannot join these. */
    public static final String USER_PREFIX = "user:";
    /** Prefix of the groups Groupcast keeps for itself (its SnapStart priming reads one); no one joins these. */
    public static final String INTERNAL_PREFIX = "groupcast:";

    public GroupName {
        Names.GROUP.check(value);
        if (value.startsWith(USER_PREFIX)) {
            UserId.of(value.substring(USER_PREFIX.length()));
        }
    }

    /** Validates and wraps a group name. */
    public static GroupName of(String value) {
        return new GroupName(value);
    }

    /** The group of every connection of this user. */
    public static GroupName ofUser(UserId user) {
        return new GroupName(USER_PREFIX + user.value());
    }

    /** Whether this is a per-user group ({@code user:...}). */
    public boolean isUserGroup() {
        return value.startsWith(USER_PREFIX);
    }

    /** Whether no client may join this group whatever its permissions: a user's group, or one of Groupcast's own. */
    public boolean isReserved() {
        return isUserGroup() || value.startsWith(INTERNAL_PREFIX);
    }

    @Override
    public String toString() {
        return value;
    }
}
