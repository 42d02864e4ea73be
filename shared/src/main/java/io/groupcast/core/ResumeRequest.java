package io.groupcast.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.groupcast.core.model.ErrorCode;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.Json;
import io.groupcast.core.model.Names;
import io.groupcast.core.model.RequestException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A client's {@code {"action":"resume","streams":{"user:kevin":17,"room-42":null}}}: per stream, the last sequence
 * number it processed, or {@code null} for a stream it has no history of (it learns the stream's head).
 */
public record ResumeRequest(Map<GroupName, OptionalLong> streams) {
    /** The action's name. */
    public static final String ACTION = "resume";

    /** The most streams one resume names. */
    public static final int MAX_STREAMS = 100;

    public ResumeRequest {
        streams = Map.copyOf(streams);
    }

    /** Whether a frame is a resume (cheaply: a short look before parsing). */
    public static boolean isResume(String frame) {
        if (frame == null || !frame.contains(ACTION)) {
            return false;
        }
        try {
            return ACTION.equals(Json.parse(frame).path("action").textValue());
        } catch (RequestException malformed) {
            return false;
        }
    }

    /** Parses a resume frame; a malformed one is an {@code invalid_frame} or {@code invalid_group} refusal. */
    public static ResumeRequest parse(String frame) {
        JsonNode streams = Json.parse(frame).get("streams");
        if (streams == null || !streams.isObject()) {
            throw new RequestException(
                    ErrorCode.INVALID_FRAME,
                    "\"resume\" needs \"streams\": an object of stream names and the last sequence number seen");
        }
        if (streams.size() > MAX_STREAMS) {
            throw new RequestException(
                    ErrorCode.INVALID_FRAME,
                    "a resume names at most " + MAX_STREAMS + " streams, not " + streams.size());
        }
        Map<GroupName, OptionalLong> parsed = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = streams.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> stream = it.next();
            JsonNode seq = stream.getValue();
            if (!seq.isNull() && !(seq.isIntegralNumber() && seq.canConvertToLong() && seq.longValue() >= 0)) {
                throw new RequestException(
                        ErrorCode.INVALID_FRAME,
                        "stream " + Names.describe(stream.getKey()) + ": the last sequence number seen must be a "
                                + "whole number from 0, or null, not " + Json.kind(seq));
            }
            parsed.put(
                    GroupName.of(stream.getKey()),
                    seq.isNull() ? OptionalLong.empty() : OptionalLong.of(seq.longValue()));
        }
        return new ResumeRequest(parsed);
    }
}
