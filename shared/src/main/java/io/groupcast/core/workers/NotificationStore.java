package io.groupcast.core.workers;

import io.groupcast.core.delivery.FanoutResult;
import io.groupcast.core.model.ConnectionId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the workers share about a notification: its message (written once) and the state of each slice (queued,
 * running with a lease, done with its counts, or dead after its last delivery failed). Every record lives
 * {@link #LIFETIME}.
 */
public interface NotificationStore {
    /** How long a notification's status can be read. */
    Duration LIFETIME = Duration.ofDays(1);

    /** Writes a notification's message, before any of its slices is queued. */
    void create(Message message, Instant now);

    /** A notification's message; empty once expired or never written. */
    Optional<Message> message(String id);

    /** Records slices as queued, before they are sent; a slice already recorded is left as it is. */
    void queued(List<Slice> slices, Instant now);

    /** Takes a slice's lease until {@code until}, unless it is finished or another worker's lease still runs. */
    Claim claim(Slice slice, Instant until, Instant now);

    /** Records a slice as done, with its counts (a slice's id names what it covered: done twice counts once). */
    void done(String notificationId, String sliceId, FanoutResult result, Instant now);

    /** Records a slice as dead: its last delivery failed, and the queue moves it to the dead-letter queue. */
    void dead(Slice slice, String error, Instant now);

    /** A notification's target and the states of its slices; empty for an unknown or expired id. */
    Optional<Progress> progress(String id, Instant now);

    /** A notification's message, as the workers render it. */
    record Message(String id, byte[] payload, String messageId, Set<ConnectionId> except, String target) {}

    /** What a worker may do with a slice it received. */
    enum Claim {
        /** Deliver it: the lease is this worker's. */
        CLAIMED,
        /** Done (or dead) already: a redelivery; acknowledge it. */
        FINISHED,
        /** Another worker holds its lease: let the queue deliver it again later. */
        BUSY
    }

    /** Where a slice is. */
    enum SliceState {
        QUEUED,
        RUNNING,
        DONE,
        DEAD
    }

    /** A notification's target and each slice's state, with the counts of the done ones. */
    record Progress(String target, List<SliceProgress> slices) {
        public Progress {
            slices = List.copyOf(slices);
        }
    }

    /** One slice's state and, once done, its counts. */
    record SliceProgress(SliceState state, Optional<FanoutResult> counts) {}
}
