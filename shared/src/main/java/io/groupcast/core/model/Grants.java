package io.groupcast.core.model;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** What a connection may do, from wherever it comes: its token's roles, the stack's public groups, the server. */
public record Grants(Set<Grant> grants) {
    /** Nothing allowed: Groupcast denies by default. */
    public static final Grants NONE = new Grants(Set.of());

    /** The most Groupcast roles one token may carry. */
    public static final int MAX_ROLES = 50;

    public Grants {
        grants = Set.copyOf(grants);
    }

    /** The grants of these roles; other applications' roles are ignored, a malformed Groupcast role is refused. */
    public static Grants ofRoles(List<String> roles) {
        List<String> ours = roles.stream()
                .filter(role -> role.startsWith(Grant.ROLE_PREFIX))
                .toList();
        if (ours.size() > MAX_ROLES) {
            throw new IllegalArgumentException(
                    ours.size() + " Groupcast roles; a token may carry at most " + MAX_ROLES);
        }
        return new Grants(ours.stream().map(Grant::ofRole).collect(Collectors.toCollection(LinkedHashSet::new)));
    }

    /** The grants of space-separated roles, as the authorizer passes them on in its context. */
    public static Grants ofRoles(String roles) {
        return ofRoles(Arrays.stream(roles.trim().split("\\s+"))
                .filter(r -> !r.isEmpty())
                .toList());
    }

    /** Join and leave on the stack's public groups: a comma-separated list of names or {@code prefix*} patterns. */
    public static Grants publicGroups(String groups) {
        return new Grants(Arrays.stream(groups.split(","))
                .map(String::trim)
                .filter(g -> !g.isEmpty())
                .map(g -> Grant.on(Permission.JOIN_LEAVE_GROUP, g))
                .collect(Collectors.toSet()));
    }

    /** Whether any grant allows all that {@code asked} does. */
    public boolean covers(Grant asked) {
        return grants.stream().anyMatch(grant -> grant.covers(asked));
    }

    /** Whether any grant allows {@code permission} on {@code group}. */
    public boolean allows(Permission permission, GroupName group) {
        return grants.stream().anyMatch(grant -> grant.allows(permission, group));
    }

    /** These grants and {@code more}. */
    public Grants and(Grants more) {
        return new Grants(Stream.concat(grants.stream(), more.grants.stream()).collect(Collectors.toSet()));
    }

    /** The roles that name these grants, space-separated (empty for none). */
    public String roles() {
        return grants.stream().map(Grant::role).sorted().collect(Collectors.joining(" "));
    }
}
