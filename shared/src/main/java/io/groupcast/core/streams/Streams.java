package io.groupcast.core.streams;

import io.groupcast.core.delivery.Budget;
import io.groupcast.core.delivery.ConnectionCalls;
import io.groupcast.core.model.Connection;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.Protocol;
import io.groupcast.core.model.UserId;
import io.groupcast.core.protocol.ClientFrame;
import io.groupcast.core.protocol.MessageFrames;
import io.groupcast.core.protocol.ServerFrame;
import io.groupcast.core.store.MembershipStore;
import io.groupcast.core.store.StoreUnavailableException;
import io.groupcast.core.store.StreamLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Reliable delivery: every user group and named group is a stream. A message to a stream someone may resume (a
 * {@code groupcast.reliable.v1} member now, or one that may come back within the window) takes its next number, one
 * atomic update per stream, and is kept once for the window; a stream no one may resume takes no number and keeps
 * nothing. A reliable client that comes back, on any connection, resumes from the last number it processed and is
 * sent what it missed ({@link Replay}), or a {@code gap} for what expired. A gap is never silent.
 */
public final class Streams {
    /** The default resume window. */
    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(120);
    /** The longest resume window. */
    public static final Duration MAX_WINDOW = Duration.ofHours(1);
    /** How long a stream's head outlives its last message: its numbering goes on across quiet spells. */
    public static final Duration HEAD_LIFETIME = Duration.ofDays(30);
    /**
     * How much longer than the window a message handed to the fan-out workers is kept: they may reach a member
     * minutes after its number was taken, and a resume meanwhile must replay it, not call it a gap.
     */
    public static final Duration ASYNC_KEEP = Duration.ofHours(1);

    private final StreamLog log;
    private final MembershipStore store;
    private final Replay replay;
    private final Duration window;
    private final Executor background;
    private final Clock clock;

    /**
     * @param calls      posts a replay's frames
     * @param window     how long messages are kept for resumes ({@code RESUME_WINDOW_SECONDS}); zero turns streams off
     * @param background keeps a numbered message while its frames go out
     */
    public Streams(
            StreamLog log,
            MembershipStore store,
            ConnectionCalls calls,
            Duration window,
            Executor background,
            Clock clock) {
        this(log, store, () -> calls, window, background, clock);
    }

    /**
     * As {@link #Streams(StreamLog, MembershipStore, ConnectionCalls, Duration, Executor, Clock)}, the calls made on
     * the first replay: a function that never replays ({@code $connect}) never needs the management API.
     */
    public Streams(
            StreamLog log,
            MembershipStore store,
            Supplier<ConnectionCalls> calls,
            Duration window,
            Executor background,
            Clock clock) {
        this.log = Objects.requireNonNull(log, "log");
        this.store = Objects.requireNonNull(store, "store");
        this.window = Objects.requireNonNull(window, "window");
        this.background = Objects.requireNonNull(background, "background");
        this.clock = Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(calls, "calls");
        this.replay = new Replay(log, store, calls, window, clock);
    }

    /** Daemon threads for the background work of streams (one pool per function): keeping messages. */
    public static ExecutorService newBackground() {
        return Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "groupcast-streams");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Groupcast's own {@code groupcast:} groups (SnapStart priming's, broadcast shards) are no streams. */
    static boolean isInternal(GroupName group) {
        return group.value().startsWith(GroupName.INTERNAL_PREFIX);
    }

    /** Whether messages go into streams at all. */
    public boolean enabled() {
        return !window.isZero();
    }

    /** The resume window. */
    public Duration window() {
        return window;
    }

    /**
     * A message going into streams: its id (the same in each stream, and for a retry of the same notify), the
     * connections it is not for, and whether the fan-out workers deliver it (then it is kept {@link #ASYNC_KEEP}
     * longer).
     */
    public record Message(String id, Set<ConnectionId> except, boolean async) {
        public Message {
            Objects.requireNonNull(id, "id");
            except = Set.copyOf(except);
        }
    }

    /**
     * A message going into one stream. Whether anyone may resume the stream is read with the group's members (the
     * group's resumable mark comes first in that read: {@link #resumableUntil}); only then does the message take a
     * number, one update, and its keeping runs in the background while its frames go out. A stream no one may resume
     * costs nothing more than its members' read.
     */
    public final class Pending {
        private final GroupName stream;
        private final MessageFrames given;
        private final Message message;
        private volatile Instant until;
        private Numbered numbered;
        private CompletableFuture<Void> kept;

        private Pending(GroupName stream, MessageFrames given, Message message, Instant until) {
            this.stream = stream;
            this.given = given;
            this.message = message;
            this.until = until;
        }

        /** Until when someone may resume the stream, as the members' read found: give it to the store's read. */
        public void resumableUntil(Instant resumableUntil) {
            if (until == null) {
                until = resumableUntil;
            }
        }

        /**
         * The frames to post: numbered when the stream may be resumed, as given otherwise. Without the members' read
         * (a notify handed to the workers at once) the mark is read alone.
         */
        public synchronized MessageFrames frames() {
            if (numbered == null) {
                Instant now = clock.instant();
                Instant resumable = until != null ? until : store.resumableUntil(stream, now);
                numbered = number(stream, given, message, resumable.isAfter(now), now);
                kept = numbered.taken() == null
                        ? CompletableFuture.completedFuture(null)
                        : CompletableFuture.runAsync(() -> keep(numbered), background);
            }
            return numbered.frames();
        }

        /** Waits until the message is kept (or the stream needed none); a failure is the store's. */
        public void kept() {
            frames();
            joined(kept);
        }

        /**
         * Keeps the message as long as one the workers deliver ({@link #ASYNC_KEEP} longer): a synchronous notify
         * that ran out of time handed the rest of its recipients to them. Waits for the first keeping before.
         */
        public void handedOff() {
            kept();
            if (numbered.taken() != null && !message.async()) {
                write(new Numbered(
                        stream,
                        numbered.frames(),
                        new Message(message.id(), message.except(), true),
                        numbered.taken(),
                        numbered.at()));
            }
        }
    }

    /** Starts putting a message into a stream (see {@link Pending}); nothing is read or written yet. */
    public Pending start(GroupName stream, MessageFrames frames, Message message) {
        boolean never = !enabled() || isInternal(stream);
        return new Pending(stream, frames, message, never ? Instant.EPOCH : null);
    }

    /** Puts a message into a stream and keeps it: {@link #start}, waited for. */
    public MessageFrames publish(GroupName stream, MessageFrames frames, Message message) {
        Pending pending = start(stream, frames, message);
        MessageFrames numbered = pending.frames();
        pending.kept();
        return numbered;
    }

    /** A message with its number (or none) in a stream, and what its keeping needs. */
    private record Numbered(
            GroupName stream, MessageFrames frames, Message message, StreamLog.Taken taken, Instant at) {}

    private Numbered number(GroupName stream, MessageFrames frames, Message message, boolean resumable, Instant now) {
        if (!resumable) {
            return new Numbered(stream, frames, message, null, now);
        }
        // a retry of the update by the SDK takes no second number; a retried notify takes a new one, with the same id
        StreamLog.Taken taken = log.nextSeq(stream, UUID.randomUUID().toString(), now, now.plus(HEAD_LIFETIME));
        return new Numbered(
                stream, frames.inStream(stream.value(), taken.seq(), message.id(), taken.epoch()), message, taken, now);
    }

    /** Keeps a numbered message; when that fails, marks its number lost at once, so resumes say gap, not wait. */
    private void keep(Numbered numbered) {
        if (numbered.taken() == null) {
            return;
        }
        try {
            write(numbered);
        } catch (StoreUnavailableException e) {
            StreamLog.Taken taken = numbered.taken();
            Instant expiresAt = expiresAt(numbered);
            try {
                log.keep(
                        numbered.stream(),
                        StreamLog.Kept.tombstone(taken.seq(), taken.previousTakenAt(), expiresAt),
                        expiresAt);
            } catch (StoreUnavailableException again) {
                // a resume calls the number a gap once it has been missing longer than Replay.IN_FLIGHT
            }
            throw e;
        }
    }

    private void write(Numbered numbered) {
        StreamLog.Taken taken = numbered.taken();
        Instant expiresAt = expiresAt(numbered);
        log.keep(
                numbered.stream(),
                new StreamLog.Kept(
                        taken.seq(),
                        numbered.frames().frame(Protocol.RELIABLE_V1),
                        taken.previousTakenAt(),
                        numbered.message().except(),
                        expiresAt),
                expiresAt);
    }

    private Instant expiresAt(Numbered numbered) {
        return numbered.at().plus(window).plus(numbered.message().async() ? ASYNC_KEEP : Duration.ZERO);
    }

    private static <T> T joined(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /**
     * A connection joined a stream: a reliable one makes the stream resumable while it may come back (its life and
     * the window), and its user may read the stream from the head on (from {@code rewindTo} when the join rewinds;
     * -1 for none). A stream the user had no head of yet is from its start on: the since record's epoch is empty,
     * and the first number of an epoch is 1.
     */
    public void joined(Connection connection, GroupName stream, long rewindTo) {
        if (!enabled() || isInternal(stream) || connection.protocol() != Protocol.RELIABLE_V1) {
            return;
        }
        Instant now = clock.instant();
        Instant until = connection.expiresAt().plus(window);
        if (!stream.equals(GroupName.ofUser(connection.user()))) { // a user reads all of its own stream
            StreamLog.Head head = log.head(stream, now);
            long since = rewindTo < 0 ? head.seq() : Math.min(rewindTo, head.seq());
            log.since(connection.user(), stream, connection.id(), new StreamLog.Since(since, head.epoch()), now, until);
        }
        store.resumable(stream, until);
    }

    /** A connection left a stream: what its user may read of it no longer reaches back through this connection. */
    public void left(Connection connection, GroupName stream) {
        if (enabled() && !isInternal(stream) && connection.protocol() == Protocol.RELIABLE_V1) {
            log.forget(connection.user(), stream, connection.id());
        }
    }

    /** The server removed a user from a stream: a resume no longer reaches back before its next join. */
    public void removed(UserId user, GroupName stream) {
        if (enabled() && !isInternal(stream)) {
            log.forget(user, stream);
        }
    }

    /** Carries out a resume (see {@link Replay#resume}). */
    public ServerFrame.Resumed resume(Connection connection, ClientFrame.Resume request, Budget budget) {
        return replay.resume(connection, request, budget);
    }

    /** Sends a joining connection the last kept messages its rewind asks for (see {@link Replay#rewind}). */
    public void rewind(Connection connection, GroupName stream, ClientFrame.Rewind rewind, Budget budget) {
        if (enabled() && rewind.any()) {
            replay.rewind(connection, stream, rewind, budget);
        }
    }

    /** Where a rewind starts: the first number it reads, or -1 for no rewind. */
    public long rewindStart(GroupName stream, ClientFrame.Rewind rewind) {
        if (!enabled() || !rewind.any()) {
            return -1;
        }
        return replay.rewindStart(stream, rewind);
    }
}
