package io.groupcast.core.model;

import java.util.Locale;

/**
 * Every error Groupcast answers, at every edge (server API, client frames, local gateway): the stable code clients
 * match on, the HTTP status it answers with, and when it happens (the sentence the docs show beside it).
 */
public enum ErrorCode {
    MALFORMED_JSON(400, "the body or frame is empty or not valid JSON (duplicate keys count as invalid)"),
    INVALID_BODY(400, "the body is JSON but not an object"),
    UNKNOWN_FIELD(400, "the body has a field the route does not take"),
    INVALID_TARGET(
            400,
            "not exactly one of user, group, users, groups, connectionId or all, a list of 0 or over 100, or all other"
                    + " than true"),
    INVALID_USER(400, "a user id that is not a string of 1-128 letters, digits or _ - . @ + = |"),
    INVALID_GROUP(400, "a group name that is not a string of 1-256 letters, digits or _ - . @ + = | :"),
    INVALID_CONNECTION_ID(400, "a connection id that is not a valid API Gateway connection id"),
    INVALID_EXCEPT(400, "exceptConnectionIds is not a list of connection ids"),
    TOO_MANY_EXCEPTED(400, "exceptConnectionIds lists more than 1,000 connection ids"),
    MISSING_MESSAGE(400, "a notify without message"),
    INVALID_TTL(400, "ttlSeconds is not a whole number from 1 to 31,536,000 (365 days)"),
    INVALID_LIMIT(400, "limit is not a whole number from 1 to 1,000"),
    INVALID_PATH(400, "a path parameter is missing or badly %-encoded"),
    INVALID_PERMISSION(400, "a permission other than joinLeaveGroup or sendToGroup"),
    INVALID_ASYNC(400, "async is not true or false"),
    INVALID_IDEMPOTENCY_KEY(400, "idempotencyKey is not 1 to 128 letters, digits or _ - . @ + = | :"),
    INVALID_QUERY(400, "a query parameter with a value the route does not take, e.g. verify other than true or false"),
    TOO_MANY_TO_VERIFY(400, "GET /groups/{group}?verify=true on a group of more than 1,000 connections"),
    MISSING_ACTION(400, "a client frame without an action string"),
    UNKNOWN_ACTION(400, "a client frame whose action is not join, leave, send, resume, ping, whoami or event"),
    INVALID_EVENT(400, "an event frame whose event is not a string of 1-64 letters, digits or _ - . :"),
    INVALID_FRAME(
            400,
            "a client frame that is JSON but not an object, whose noEcho is not a boolean, whose ackId is not a whole"
                    + " number from 1, or a resume whose streams are missing, not an object, more than 100, or not"
                    + " each a whole number from 0 or null"),
    MISSING_DATA(400, "a send frame without data (null is allowed, a missing field is not)"),
    MALFORMED_EVENT(400, "an event without the fields API Gateway always sends: a wiring mistake, logged"),
    FORBIDDEN(
            403,
            "the connection has no permission for this group (its token's roles, PublicGroups, the server's"
                    + " grants)"),
    RESERVED_GROUP(403, "a group starting with user: or groupcast:, which no client and no permission reaches"),
    NOT_FOUND(404, "no such route (on AWS, API Gateway itself answers {\"message\":\"Not Found\"})"),
    CONNECTION_NOT_FOUND(404, "no live connection with this id"),
    NOTIFICATION_NOT_FOUND(404, "no notification with this id (unknown, or older than its one-day lifetime)"),
    NO_DEV_TOKENS(
            404, "local gateway only: GET /token when the gateway verifies tokens with a secret of your own or a JWKS"),
    METHOD_NOT_ALLOWED(405, "the path exists, but not with this method"),
    UNSUPPORTED_MEDIA_TYPE(
            415,
            "local gateway only: a POST, PUT or DELETE whose Content-Type is not application/json (one without a body"
                    + " may have none), as a web page on another origin could send it without asking"),
    REQUEST_IN_PROGRESS(409, "a notify with this idempotencyKey is still running; ask again in a moment"),
    IDEMPOTENCY_KEY_REUSED(422, "this idempotencyKey was used within the hour for a different notify"),
    MESSAGE_TOO_LARGE(
            413,
            "message (or a send's data in its envelope) is over 130,560 bytes as compact JSON: API Gateway's 128 KB"
                    + " less 512 bytes for the envelopes"),
    FRAME_TOO_LARGE(413, "a client frame over 128 KB (API Gateway closes such a connection with 1009 first)"),
    BROADCAST_DISABLED(400, "POST /notify with \"all\": true on a stack deployed with BroadcastToAll=Disabled"),
    TOO_MANY_GROUPS(429, "the connection is already in MaxGroupsPerConnection named groups"),
    TOO_MANY_LINKS(429, "the user is already linked to MaxLinksPerUser groups"),
    TOO_MANY_CONNECTIONS(429, "$connect refused: the user already has MaxConnectionsPerUser live connections"),
    RATE_LIMITED(
            429,
            "the connection sent more than MaxPublishesPerSecond send frames (or event frames) this second, or its"
                    + " user more than MaxPublishesPerSecondPerUser over all of its connections (a counter that cannot"
                    + " be taken for conflicts refuses too: the limit fails closed)"),
    NO_EVENT_HANDLER(
            404, "an event frame on a stack without an event handler (EventHandlerFunctionArn) or an event bus"),
    HANDLER_FAILED(
            502,
            "the event handler threw, answered what is not a reply (not JSON, no data or error, a reply too large"
                    + " for a frame), or could not be reached; the details are in the function's logs only"),
    HANDLER_TIMEOUT(504, "the event handler did not answer within EventHandlerTimeoutSeconds"),
    CONNECT_REFUSED(
            403,
            "$connect refused by the connect hook, with the status (400-499) and reason it answered; 403 is its"
                    + " default"),
    CONNECT_HOOK_FAILED(
            503,
            "$connect refused because the connect hook timed out or failed (ConnectHookOnFailure=Refuse, the"
                    + " default); retry"),
    INTERNAL_ERROR(500, "a bug; the details are in the function's logs only"),
    STORE_UNAVAILABLE(503, "DynamoDB could not be reached; retry");

    private final int status;
    private final String when;

    ErrorCode(int status, String when) {
        this.status = status;
        this.when = when;
    }

    /** The code as clients see it, e.g. {@code invalid_group}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The HTTP status this error answers with. */
    public int status() {
        return status;
    }

    /** When this error happens, in words (the docs' table shows it). */
    public String when() {
        return when;
    }

    @Override
    public String toString() {
        return code();
    }
}
