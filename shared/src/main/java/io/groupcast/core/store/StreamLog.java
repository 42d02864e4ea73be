package io.groupcast.core.store;

import io.groupcast.core.model.GroupName;
import java.time.Instant;
import java.util.List;

/** Each stream's numbering and the messages it keeps for resumes. */
public interface StreamLog {
    /**
     * Takes a stream's next sequence number (1 for its first message), one atomic update; the stream's head lives
     * until {@code headExpiresAt}, pushed back at every message, and remembers when the number was taken. Answers the
     * number and when the one before it was taken.
     */
    Taken nextSeq(GroupName stream, Instant takenAt, Instant headExpiresAt);

    /** A stream's last taken sequence number and when; 0 for a stream that has none (or whose head expired). */
    Head head(GroupName stream, Instant now);

    /**
     * Keeps a stream's message (the frame a resuming client is sent) until expiresAt, with when the number before it
     * was taken.
     */
    void keep(GroupName stream, long seq, byte[] frame, Instant previousTakenAt, Instant expiresAt);

    /** At most {@code limit} kept messages of a stream after sequence {@code after}, in order, unexpired at now. */
    List<Kept> kept(GroupName stream, long after, int limit, Instant now);

    /** A stream's last taken number and when it was taken ({@link Instant#EPOCH} for none). */
    record Head(long seq, Instant takenAt) {
        /** A stream without messages. */
        public static final Head NONE = new Head(0, Instant.EPOCH);
    }

    /** A number just taken, and when the one before it was ({@link Instant#EPOCH} for none). */
    record Taken(long seq, Instant previousTakenAt) {}

    /** A message a stream keeps for resumes, and when the number before it was taken. */
    record Kept(long seq, byte[] frame, Instant previousTakenAt) {}
}
