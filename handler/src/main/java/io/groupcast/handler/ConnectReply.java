package io.groupcast.handler;

import java.util.List;

/**
 * The connect hook's answer: {@code {"allow":true,"roles":[...],"groups":[...]}} or
 * {@code {"allow":false,"status":403,"reason":M}}.
 */
public class ConnectReply {
    private final boolean allow;
    private final List<String> roles;
    private final List<String> groups;
    private final Integer status;
    private final String reason;

    private ConnectReply(boolean allow, List<String> roles, List<String> groups, Integer status, String reason) {
        this.allow = allow;
        this.roles = roles;
        this.groups = groups;
        this.status = status;
        this.reason = reason;
    }

    /** Lets the connection in as its token says. */
    public static ConnectReply allow() {
        return allow(List.of(), List.of());
    }

    /** Lets the connection in with these Groupcast roles added, joined to these groups. */
    public static ConnectReply allow(List<String> roles, List<String> groups) {
        return new ConnectReply(true, List.copyOf(roles), List.copyOf(groups), null, null);
    }

    /** Refuses the connection with {@code status} (400 to 499) and {@code reason}. */
    public static ConnectReply deny(int status, String reason) {
        if (status < 400 || status > 499) {
            throw new IllegalArgumentException("a refusal's status is 400 to 499, not " + status);
        }
        return new ConnectReply(false, null, null, status, reason);
    }

    /** Whether the connection may open. */
    public boolean isAllow() {
        return allow;
    }

    /** Roles to add; null for a refusal. */
    public List<String> getRoles() {
        return roles;
    }

    /** Groups to join; null for a refusal. */
    public List<String> getGroups() {
        return groups;
    }

    /** A refusal's status; null when allowed. */
    public Integer getStatus() {
        return status;
    }

    /** A refusal's reason; null when allowed. */
    public String getReason() {
        return reason;
    }
}
