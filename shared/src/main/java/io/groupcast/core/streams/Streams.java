package io.groupcast.core.streams;

import io.groupcast.core.delivery.Budget;
import io.groupcast.core.delivery.ConnectionCalls;
import io.groupcast.core.model.Connection;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.Protocol;
import io.groupcast.core.protocol.ClientFrame;
import io.groupcast.core.protocol.MessageFrames;
import io.groupcast.core.protocol.ServerFrame;
import io.groupcast.core.protocol.ServerFrames;
import io.groupcast.core.store.MembershipStore;
import io.groupcast.core.store.StreamLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Reliable delivery: every user group and named group is a stream. A message to a stream takes its next sequence
 * number (one atomic update per stream, not per recipient) and is kept once for the resume window; a
 * {@code groupcast.reliable.v1} client that comes back, on any connection, resumes from the last number it processed
 * and is sent what it missed, or a {@code gap} for what expired. A gap is never silent.
 *
 * @param window how long messages are kept for resumes ({@code RESUME_WINDOW_SECONDS}); zero turns streams off
 */
public record Streams(StreamLog log, MembershipStore store, ConnectionCalls calls, Duration window, Clock clock) {
    /** The default resume window. */
    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(120);
    /** The longest resume window. */
    public static final Duration MAX_WINDOW = Duration.ofHours(1);
    /** How long a stream's head outlives its last message: its numbering goes on across quiet spells. */
    public static final Duration HEAD_LIFETIME = Duration.ofDays(30);
    /** The most messages one resume replays; the answer says {@code "more":true} when there are more. */
    public static final int MAX_REPLAY = 500;
    /**
     * How long a taken number may wait for its message to be kept: a resume that misses a number taken more recently
     * than this says nothing of it (the message is on its way; the client asks again) rather than calling it a gap.
     */
    public static final Duration IN_FLIGHT = Duration.ofSeconds(10);

    /** Groupcast's own {@code groupcast:} groups (SnapStart priming's) are no streams: nothing is kept for them. */
    static boolean isInternal(GroupName group) {
        return group.value().startsWith(GroupName.INTERNAL_PREFIX);
    }

    /** Whether messages go into streams at all. */
    public boolean enabled() {
        return !window.isZero();
    }

    /**
     * Puts a message into a stream: its next sequence number, and the message kept for the window. Answers the
     * frames with the stream's reliable frame ({@code stream}, {@code seq}, {@code id}); as they were when streams
     * are off.
     */
    public MessageFrames publish(GroupName stream, MessageFrames frames, String id) {
        if (!enabled() || isInternal(stream)) {
            return frames;
        }
        Instant now = clock.instant();
        StreamLog.Taken taken = log.nextSeq(stream, now, now.plus(HEAD_LIFETIME));
        MessageFrames streamed = frames.inStream(stream.value(), taken.seq(), id);
        log.keep(stream, taken.seq(), streamed.frame(Protocol.RELIABLE_V1), taken.previousTakenAt(), now.plus(window));
        return streamed;
    }

    /**
     * Carries out a resume on {@code connection}: for each stream it asks about that it is in (and its own streams it
     * did not name), sends the kept messages after its number and a {@code gap} frame for each expired range, then
     * answers the {@code resumed} frame with each stream's head, {@code more} when it replayed {@link #MAX_REPLAY} and
     * there is more, and {@code ignored} naming streams it is not in.
     */
    public ServerFrame.Resumed resume(Connection connection, ClientFrame.Resume request, Budget budget) {
        Instant now = clock.instant();
        Set<GroupName> member = store.groupsOf(connection.id(), now);
        Set<GroupName> streams = new LinkedHashSet<>(request.streams().keySet());
        streams.addAll(member);
        Map<GroupName, Long> heads = new LinkedHashMap<>();
        List<GroupName> ignored = new ArrayList<>();
        Replay replay = new Replay(connection, calls.start(budget), now);
        for (GroupName stream : streams) {
            if (!member.contains(stream)) {
                ignored.add(stream);
                continue;
            }
            StreamLog.Head head = log.head(stream, now);
            heads.put(stream, head.seq());
            OptionalLong after = request.streams().getOrDefault(stream, OptionalLong.empty());
            if (after.isPresent() && after.getAsLong() < head.seq() && !replay.full()) {
                replay.stream(stream, after.getAsLong(), head);
            }
        }
        replay.run.finish();
        return new ServerFrame.Resumed(heads, replay.more, ignored, request.ackId());
    }

    /** The frames one resume sends: kept messages and gaps, through {@link ConnectionCalls}. */
    private final class Replay {
        final Connection connection;
        final ConnectionCalls.Run run;
        final Instant now;
        int sent;
        boolean more;

        Replay(Connection connection, ConnectionCalls.Run run, Instant now) {
            this.connection = connection;
            this.run = run;
            this.now = now;
        }

        boolean full() {
            return sent >= MAX_REPLAY;
        }

        /**
         * Replays a stream after {@code after}. A missing run of numbers is a gap when its last number was taken
         * longer than {@link #IN_FLIGHT} (or the window) ago: its messages expired, or were never kept. Otherwise they
         * may still be on their way, and the replay of this stream stops there.
         */
        void stream(GroupName stream, long after, StreamLog.Head head) {
            long expected = after + 1;
            for (StreamLog.Kept kept : log.kept(stream, after, MAX_REPLAY - sent, now)) {
                if (kept.seq() > expected) {
                    if (mayBeOnItsWay(kept.previousTakenAt())) {
                        return;
                    }
                    gap(stream, expected, kept.seq() - 1);
                }
                if (!post(kept.frame())) {
                    more = true;
                    return;
                }
                sent++;
                expected = kept.seq() + 1;
            }
            if (full() && expected <= head.seq()) {
                more = true;
            } else if (expected <= head.seq() && !mayBeOnItsWay(head.takenAt())) {
                gap(stream, expected, head.seq());
            }
        }

        /**
         * Whether the message of a number taken at {@code takenAt} (the last of a missing run: the others were taken
         * before it) may still be on its way: taken less than {@link #IN_FLIGHT} ago, and it would not have expired
         * yet had it been kept (kept messages expire at {@code takenAt + window} in whole seconds).
         */
        private boolean mayBeOnItsWay(Instant takenAt) {
            return takenAt.plus(IN_FLIGHT).isAfter(now) && takenAt.plus(window).getEpochSecond() > now.getEpochSecond();
        }

        void gap(GroupName stream, long from, long to) {
            post(ServerFrames.write(new ServerFrame.Gap(stream, from, to)));
        }

        boolean post(byte[] frame) {
            return run.call(connection.id(), id -> calls.connections().post(id, frame));
        }
    }
}
