package io.groupcast.core.streams;

import io.groupcast.core.delivery.Budget;
import io.groupcast.core.delivery.ConnectionCalls;
import io.groupcast.core.model.ApiGatewayLimits;
import io.groupcast.core.model.Connection;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.Protocol;
import io.groupcast.core.protocol.ClientFrame;
import io.groupcast.core.protocol.ClientFrames;
import io.groupcast.core.protocol.ServerFrame;
import io.groupcast.core.protocol.ServerFrames;
import io.groupcast.core.store.MembershipStore;
import io.groupcast.core.store.StreamLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A resume, or a join's rewind: the kept messages of a stream a connection missed, in order, with a {@code gap} for
 * each run of numbers that can no longer be sent and a {@code skip} for each message not for it. Bounded: at most
 * {@link #MAX_REPLAY} messages and about {@code log2} of the missed range in probes are read per resume, only the
 * streams the frame names, and nothing is read or sent once the time budget is down to the calls' reserve. A
 * connection reads a stream only from where its user joined it (or rewound to); its own user stream entirely.
 */
final class Replay {
    /** The most messages one resume replays; the answer says {@code "more":true} when there are more. */
    static final int MAX_REPLAY = 500;

    /**
     * How long a taken number may wait for its message to be kept: a resume that misses a number taken more recently
     * than this says nothing of it (the message is on its way; the client asks again) rather than calling it a gap.
     */
    static final Duration IN_FLIGHT = Duration.ofSeconds(10);

    /** What a replay frame may hold, under API Gateway's 32 KB frame with room for its envelope. */
    static final int REPLAY_BYTES = ApiGatewayLimits.FRAME_BYTES - 512;

    private final StreamLog log;
    private final MembershipStore store;
    private final ConnectionCalls calls;
    private final Duration window;
    private final Clock clock;

    Replay(StreamLog log, MembershipStore store, ConnectionCalls calls, Duration window, Clock clock) {
        this.log = log;
        this.store = store;
        this.calls = calls;
        this.window = window;
        this.clock = clock;
    }

    /**
     * Resumes the streams a frame names that the connection is in: their kept messages after the numbers it gives (in
     * the epochs it gives: a stream that started a new epoch is one {@code gap} to the end of the old), then the
     * {@code resumed} frame with each stream's head and epoch.
     */
    ServerFrame.Resumed resume(Connection connection, ClientFrame.Resume request, Budget budget) {
        Instant now = clock.instant();
        Set<GroupName> member = store.groupsOf(connection.id(), now);
        Set<ConnectionId> excluded = new HashSet<>(request.previous());
        excluded.add(connection.id());
        Session session = new Session(connection, excluded, budget, now);
        Map<GroupName, Long> heads = new LinkedHashMap<>();
        Map<GroupName, String> epochs = new LinkedHashMap<>();
        List<GroupName> ignored = new ArrayList<>();
        for (Map.Entry<GroupName, OptionalLong> named : request.streams().entrySet()) {
            GroupName stream = named.getKey();
            if (!member.contains(stream)) {
                ignored.add(stream);
                continue;
            }
            StreamLog.Head head = log.head(stream, now);
            heads.put(stream, head.seq());
            if (!head.epoch().isEmpty()) {
                epochs.put(stream, head.epoch());
            }
            if (named.getValue().isPresent() && !session.full()) {
                long after = named.getValue().getAsLong();
                String theirs = request.epochs().get(stream);
                if (theirs != null && !head.epoch().isEmpty() && !theirs.equals(head.epoch())) {
                    session.gap(stream, theirs, after + 1, OptionalLong.empty());
                    after = 0;
                }
                session.stream(stream, head, after, floor(connection, stream, head, now));
            }
        }
        return new ServerFrame.Resumed(heads, epochs, session.finish(), ignored, request.ackId());
    }

    /**
     * Where a connection's reading of a stream starts: its own user stream from the first number; another stream from
     * the earliest point where one of its user's connections joined it and has not left since (a record from another
     * epoch: from the new epoch's start); with no record, nothing before now.
     */
    private long floor(Connection connection, GroupName stream, StreamLog.Head head, Instant now) {
        if (stream.equals(GroupName.ofUser(connection.user()))) {
            return 0;
        }
        // a record from another epoch is from before this one began
        return log.since(connection.user(), stream, now).stream()
                .mapToLong(since -> since.epoch().equals(head.epoch()) ? since.seq() : 0)
                .min()
                .orElse(head.seq());
    }

    /** Where a join's rewind starts reading (the number before its first message). */
    long rewindStart(GroupName stream, ClientFrame.Rewind rewind) {
        Instant now = clock.instant();
        StreamLog.Head head = log.head(stream, now);
        long earliest = Math.max(0, head.seq() - ClientFrames.MAX_REWIND);
        if (rewind.messages() > 0) {
            return Math.max(0, head.seq() - rewind.messages());
        }
        Instant since = now.minusSeconds(rewind.seconds());
        for (StreamLog.Kept kept : log.kept(stream, earliest, MAX_REPLAY, now)) {
            if (!kept.previousTakenAt().isBefore(since)) {
                return Math.max(0, kept.seq() - 2); // its number before it was taken within the rewind, so was it
            }
        }
        return head.takenAt().isBefore(since) ? head.seq() : Math.max(0, head.seq() - 1);
    }

    /** Sends a joining connection the kept messages of a stream after its rewind's start. */
    void rewind(Connection connection, GroupName stream, ClientFrame.Rewind rewind, Budget budget) {
        Instant now = clock.instant();
        Session session = new Session(connection, Set.of(connection.id()), budget, now);
        StreamLog.Head head = log.head(stream, now);
        long start = rewindStart(stream, rewind);
        session.stream(stream, head, start, start);
        session.finish();
    }

    /** The frames one resume sends to one connection, in order per stream. */
    private final class Session {
        final Connection connection;
        final Set<ConnectionId> excluded;
        final Budget budget;
        final Instant now;
        final boolean batched;
        final List<byte[]> pending = new ArrayList<>();
        GroupName pendingStream;
        int pendingBytes;
        ServerFrame.Gap gap;
        int sent;
        boolean more;
        boolean stopped;

        Session(Connection connection, Set<ConnectionId> excluded, Budget budget, Instant now) {
            this.connection = connection;
            this.excluded = excluded;
            this.budget = budget;
            this.now = now;
            this.batched = connection.protocol() == Protocol.RELIABLE_V1;
        }

        boolean full() {
            return sent >= MAX_REPLAY || stopped;
        }

        /**
         * Replays a stream after {@code after} up to its head, from no lower than {@code floor}. A missing run of
         * numbers is a gap when its last number was taken longer than {@link #IN_FLIGHT} (or the window) ago: its
         * messages expired, or were never kept. Otherwise they may still be on their way, and the replay of this
         * stream stops there.
         */
        void stream(GroupName stream, StreamLog.Head head, long after, long floor) {
            if (after < floor) {
                gap(stream, head.epoch(), after + 1, OptionalLong.of(floor));
                after = floor;
            }
            long expected = firstLive(stream, after + 1, head.seq(), head.epoch());
            for (StreamLog.Kept kept : log.kept(stream, expected - 1, MAX_REPLAY - sent, now)) {
                if (kept.seq() > head.seq() || full()) {
                    break;
                }
                if (budget.remainingMillis() <= calls.reserve().toMillis()) {
                    more = true;
                    stopped = true;
                    return;
                }
                if (kept.seq() > expected) {
                    if (mayBeOnItsWay(kept.previousTakenAt())) {
                        return;
                    }
                    gap(stream, head.epoch(), expected, OptionalLong.of(kept.seq() - 1));
                }
                if (kept.lost() || !kept.live(now)) {
                    gap(stream, head.epoch(), kept.seq(), OptionalLong.of(kept.seq()));
                } else if (excluded.stream().anyMatch(kept.except()::contains)) {
                    frame(stream, ServerFrames.write(new ServerFrame.Skip(stream, head.epoch(), kept.seq())));
                } else {
                    frame(stream, kept.frame());
                }
                sent++;
                expected = kept.seq() + 1;
            }
            if (full() && expected <= head.seq()) {
                more = true;
            } else if (expected <= head.seq() && !mayBeOnItsWay(head.takenAt())) {
                gap(stream, head.epoch(), expected, OptionalLong.of(head.seq()));
            }
        }

        /**
         * The first number from {@code from} whose message may still be kept: a long run of expired messages (TTL may
         * lag by days) is stepped over by probing, one item read per step, and told as one gap.
         */
        private long firstLive(GroupName stream, long from, long to, String epoch) {
            if (to - from < MAX_REPLAY) {
                return from;
            }
            long low = from;
            long high = to + 1;
            while (low < high && budget.remainingMillis() > calls.reserve().toMillis()) {
                long middle = low + (high - low) / 2;
                Optional<StreamLog.Kept> found = log.first(stream, middle);
                if (found.isPresent() && found.get().live(now)) {
                    high = Math.min(middle, found.get().seq());
                } else {
                    low = found.map(kept -> kept.seq() + 1).orElse(to + 1);
                    low = Math.max(low, middle + 1);
                }
            }
            if (low > from) {
                gap(stream, epoch, from, OptionalLong.of(Math.min(low, to + 1) - 1));
            }
            return low;
        }

        /**
         * Whether the message of a number taken at {@code takenAt} (the last of a missing run: the others were taken
         * before it) may still be on its way: taken less than {@link #IN_FLIGHT} ago, and it would not have expired
         * yet had it been kept.
         */
        private boolean mayBeOnItsWay(Instant takenAt) {
            return takenAt.plus(IN_FLIGHT).isAfter(now) && takenAt.plus(window).getEpochSecond() > now.getEpochSecond();
        }

        /** A run of numbers that cannot be sent: told as one gap with the runs right before and after it. */
        void gap(GroupName stream, String epoch, long from, OptionalLong to) {
            if (gap != null
                    && gap.stream().equals(stream)
                    && gap.epoch().equals(epoch)
                    && gap.to().isPresent()
                    && gap.to().getAsLong() + 1 == from) {
                gap = new ServerFrame.Gap(stream, epoch, gap.from(), to);
                return;
            }
            tellGap();
            gap = new ServerFrame.Gap(stream, epoch, from, to);
        }

        private void tellGap() {
            if (gap != null) {
                ServerFrame.Gap told = gap;
                gap = null;
                add(told.stream(), ServerFrames.write(told));
            }
        }

        /** Adds a message or skip frame to the stream's replay, after the gap before it. */
        private void frame(GroupName stream, byte[] frame) {
            tellGap();
            add(stream, frame);
        }

        /** Adds a frame to the stream's replay: posted alone, or batched in replay frames for reliable connections. */
        private void add(GroupName stream, byte[] frame) {
            if (!batched) {
                post(frame);
                return;
            }
            if (!stream.equals(pendingStream) || pendingBytes + frame.length + 1 > REPLAY_BYTES) {
                flush();
                pendingStream = stream;
            }
            pending.add(frame);
            pendingBytes += frame.length + 1;
        }

        private void flush() {
            if (!pending.isEmpty()) {
                post(ServerFrames.write(new ServerFrame.Replay(pendingStream, pending)));
                pending.clear();
                pendingBytes = 0;
            }
        }

        /** Posts one frame and waits for it, so that frames arrive in order. */
        private void post(byte[] frame) {
            if (stopped) {
                return;
            }
            if (calls.each(List.of(connection.id()), id -> calls.connections().post(id, frame), budget)
                            .delivered()
                    == 0) {
                stopped = true; // the connection is gone, or the budget is spent: the client asks again
                more = true;
            }
        }

        /** Sends what is left; answers whether there is more than was replayed. */
        boolean finish() {
            tellGap();
            flush();
            return more;
        }
    }
}
