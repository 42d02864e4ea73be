package io.groupcast.handler;

import java.util.ArrayList;
import java.util.List;

/**
 * What a Groupcast event handler gets (docs/handler-event.schema.json, version 1): a client's event
 * ({@link #TYPE_EVENT}) or the connect hook ({@link #TYPE_CONNECT}). A bean, as Lambda's Java runtime fills it.
 */
public class GroupcastEvent {
    /** The {@code type} of a client's event frame. */
    public static final String TYPE_EVENT = "event";

    /** The {@code type} (and {@code event}) of the connect hook. */
    public static final String TYPE_CONNECT = "connect";

    private String type;
    private String event;
    private String connectionId;
    private String userId;
    private List<String> roles = new ArrayList<>();
    private Object data;

    /** {@code event} or {@code connect}. */
    public String getType() {
        return type;
    }

    public void setType(String type) {
        this.type = type;
    }

    /** The event's name as the client sent it; {@code connect} for the connect hook. */
    public String getEvent() {
        return event;
    }

    public void setEvent(String event) {
        this.event = event;
    }

    /** The connection's API Gateway id. */
    public String getConnectionId() {
        return connectionId;
    }

    public void setConnectionId(String connectionId) {
        this.connectionId = connectionId;
    }

    /** The user id from the connection's token, never from the frame. */
    public String getUserId() {
        return userId;
    }

    public void setUserId(String userId) {
        this.userId = userId;
    }

    /** The token's Groupcast roles. */
    public List<String> getRoles() {
        return roles;
    }

    public void setRoles(List<String> roles) {
        this.roles = roles == null ? new ArrayList<>() : roles;
    }

    /** The frame's data as Lambda's runtime reads JSON: a map, a list, a string, a number, a boolean, or null. */
    public Object getData() {
        return data;
    }

    public void setData(Object data) {
        this.data = data;
    }

    /** Whether this is the connect hook. */
    public boolean isConnect() {
        return TYPE_CONNECT.equals(type);
    }
}
