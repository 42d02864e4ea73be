package io.groupcast.core.workers;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.groupcast.core.model.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A bounded part of a notification's fan-out, one work item of the workers: the live members of {@code group} whose
 * connection ids lie strictly between {@code after} and {@code before} ({@code ""}: no bound), at most
 * {@link #SIZE} of them per run; what is left is handed on as the next slice. A group's first slice
 * ({@code split}) hands the rest on as {@link #RANGES} key ranges, so several workers read one large group at once
 * (connection ids are random, so the ranges hold about as many each).
 *
 * @param seq the message's number in the group's stream, 0 when it has none
 * @param epoch the stream's epoch that number belongs to, empty when it has none
 */
public record Slice(
        String notificationId,
        int groupIndex,
        String group,
        String after,
        String before,
        long seq,
        String epoch,
        boolean split) {
    /** Recipients one slice posts to at most. */
    public static final int SIZE = 1000;

    /**
     * Where a large group's key space is cut: connection ids are base64 ({@code A-Z a-z 0-9 + / =}, or the URL-safe
     * {@code - _}), so these 15 characters cut it into 16 ranges of about equal size.
     */
    public static final List<String> BOUNDARIES =
            List.of("4", "8", "C", "G", "K", "O", "S", "W", "a", "e", "i", "m", "q", "u", "y");

    /** The number of key ranges a large group is read in. */
    public static final int RANGES = BOUNDARIES.size() + 1;

    public Slice {
        Objects.requireNonNull(notificationId, "notificationId");
        Objects.requireNonNull(group, "group");
        after = after == null ? "" : after;
        before = before == null ? "" : before;
        epoch = epoch == null ? "" : epoch;
    }

    /** A whole group, as a notification starts it. */
    public static Slice whole(String notificationId, int groupIndex, String group, long seq, String epoch) {
        return new Slice(notificationId, groupIndex, group, "", "", seq, epoch, true);
    }

    /** The slice's id within its notification: the group's index and the range it covers. */
    public String id() {
        return groupIndex + "~" + after + "~" + before;
    }

    /** The rest of this slice's range after {@code last}, the last connection id it read. */
    public List<Slice> rest(String last) {
        if (!split) {
            return List.of(new Slice(notificationId, groupIndex, group, last, before, seq, epoch, false));
        }
        List<Slice> ranges = new ArrayList<>();
        String from = last;
        for (String boundary : BOUNDARIES) {
            if (boundary.compareTo(last) > 0 && (before.isEmpty() || boundary.compareTo(before) < 0)) {
                ranges.add(new Slice(notificationId, groupIndex, group, from, boundary, seq, epoch, false));
                // the next range starts at the boundary: ids beginning with it sort after it
                from = boundary;
            }
        }
        ranges.add(new Slice(notificationId, groupIndex, group, from, before, seq, epoch, false));
        return ranges;
    }

    /** The slice as a queue message body. */
    public String toJson() {
        try {
            return Json.mapper().writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A slice from a queue message body; a malformed one is an {@link IllegalArgumentException}. */
    public static Slice fromJson(String json) {
        try {
            return Json.mapper().readValue(json, Slice.class);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IllegalArgumentException("not a fan-out slice: " + e.getMessage(), e);
        }
    }
}
