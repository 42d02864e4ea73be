package io.groupcast.core.store;

import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.UserId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Each stream's numbering, the messages it keeps for resumes, and how far back each user may read it. A stream's
 * numbers belong to an epoch: when its head is lost (a restore, a wipe, a head that expired) numbering starts again at
 * 1 in a new epoch, so that a client can tell 17 of the new epoch from 17 of the old.
 */
public interface StreamLog {
    /** A stream's head: its last number, when it was taken, and its epoch; {@link Head#NONE} if none. */
    Head head(GroupName stream, Instant now);

    /**
     * Takes a stream's next number (1 for the first of an epoch), one atomic update that a retry of the same
     * {@code request} (the SDK's, after a lost answer) does not repeat: it answers the number the first attempt took.
     * The head lives until {@code headExpiresAt}, pushed back at every number.
     */
    Taken nextSeq(GroupName stream, String request, Instant takenAt, Instant headExpiresAt);

    /** Keeps a stream's message (or, for a number whose message is lost, a tombstone) until {@code expiresAt}. */
    void keep(GroupName stream, Kept message, Instant expiresAt);

    /**
     * At most {@code limit} kept messages (and tombstones) of a stream numbered after {@code after}, in order; each
     * item read counts against the store's capacity, expired ones included, so {@code limit} bounds the read.
     */
    List<Kept> kept(GroupName stream, long after, int limit, Instant now);

    /**
     * The first kept message numbered {@code from} or later, whether or not it expired (a probe: one item read), or
     * empty when there is none.
     */
    Optional<Kept> first(GroupName stream, long from);

    /**
     * How far back {@code user} may read a stream: where each of its connections joined it (at most
     * {@link #MAX_SINCE} of them), live records only. A resume reads from the earliest.
     */
    List<Since> since(UserId user, GroupName stream, Instant now);

    /**
     * Records where {@code connection} of {@code user} joined a stream, unless a live record says it may already
     * read further back (a join repeated without a leave: a record of the same epoch and no higher number, or of an
     * earlier epoch); until {@code expiresAt}, pushed back by every join.
     */
    void since(UserId user, GroupName stream, ConnectionId connection, Since since, Instant now, Instant expiresAt);

    /** Forgets where {@code connection} joined a stream: it left the group. */
    void forget(UserId user, GroupName stream, ConnectionId connection);

    /** Forgets where every connection of {@code user} joined a stream: the server removed the user. */
    void forget(UserId user, GroupName stream);

    /** The most join records of one user and stream a resume reads (a user's connections come and go). */
    int MAX_SINCE = 100;

    /** A stream's last number, when it was taken, and its epoch (empty before the first number). */
    record Head(long seq, Instant takenAt, String epoch) {
        /** A stream without a head. */
        public static final Head NONE = new Head(0, Instant.EPOCH, "");
    }

    /** A number just taken, when the one before it was ({@link Instant#EPOCH} for none), and the epoch. */
    record Taken(long seq, Instant previousTakenAt, String epoch) {}

    /**
     * A kept message: its frame (empty for a tombstone: a number whose message was lost), when the number before it
     * was taken, the connections it is not for, and until when it is kept.
     */
    record Kept(long seq, byte[] frame, Instant previousTakenAt, Set<ConnectionId> except, Instant expiresAt) {
        public Kept {
            Objects.requireNonNull(frame, "frame");
            except = Set.copyOf(except);
        }

        /** A number whose message was lost: its taker failed to keep it. */
        public static Kept tombstone(long seq, Instant previousTakenAt, Instant expiresAt) {
            return new Kept(seq, new byte[0], previousTakenAt, Set.of(), expiresAt);
        }

        /** Whether the message was lost. */
        public boolean lost() {
            return frame.length == 0;
        }

        /** Whether it is still kept at {@code now}. */
        public boolean live(Instant now) {
            return expiresAt.getEpochSecond() > now.getEpochSecond();
        }
    }

    /** The number a user may read a stream after, in an epoch. */
    record Since(long seq, String epoch) {}
}
