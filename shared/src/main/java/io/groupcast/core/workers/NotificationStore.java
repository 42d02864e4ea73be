package io.groupcast.core.workers;

import io.groupcast.core.delivery.FanoutResult;
import io.groupcast.core.model.ConnectionId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the workers share about a notification: its message and the groups it goes to with their numbers (written
 * once), and the state of each slice (queued, running with a lease, done with its counts, or dead after its last
 * delivery failed) with the boundary it was cut at. Every record lives {@link #LIFETIME}.
 */
public interface NotificationStore {
    /** How long a notification's status can be read. */
    Duration LIFETIME = Duration.ofDays(1);

    /** Writes a notification's message, before any of its slices is queued; it is not handed over yet. */
    void create(Message message, Instant now);

    /** Records that every slice of a notification was queued: from now on its status may say completed. */
    void handedOver(String id, Instant now);

    /** A notification's message; empty once expired or never written. */
    Optional<Message> message(String id);

    /** Records slices as queued, before they are sent; a slice already recorded is left as it is. */
    void queued(List<Slice> slices, Instant now);

    /**
     * Takes a slice's lease until {@code until}, if it is recorded and queued, dead (a redrive), or running under a
     * lease that ended; answers its recorded cut, if it has one.
     */
    Claimed claim(Slice slice, Instant until, Instant now);

    /**
     * Records where a slice under the lease {@code lease} ends and what was handed on after it: the first cut stays
     * (answered as it is) unless {@code replace}; empty when the lease is no longer this worker's.
     */
    Optional<Cut> cut(Slice slice, Cut cut, Instant lease, boolean replace, Instant now);

    /** Gives a slice's lease back (queued again), if it is still {@code lease}: a transient failure. */
    void release(Slice slice, Instant lease, Instant now);

    /** Records a slice as done, with its counts (a slice's id names what it covered: done twice counts once). */
    void done(String notificationId, String sliceId, FanoutResult result, Instant now);

    /** Records a slice as dead: its last delivery failed, and the queue moves it to the dead-letter queue. */
    void dead(Slice slice, String error, Instant now);

    /** A notification's target and the states of its slices; empty for an unknown or expired id. */
    Optional<Progress> progress(String id, Instant now);

    /**
     * A notification's message, as the workers render it, and the groups it goes to: slice {@code i} of a group must
     * name {@code groups.get(i)} and its numbers.
     */
    record Message(
            String id, byte[] payload, String messageId, Set<ConnectionId> except, String target, List<Target> groups) {
        public Message {
            except = Set.copyOf(except);
            groups = List.copyOf(groups);
        }
    }

    /** One group of a notification, with the message's number ({@code seq}, 0 for none) and epoch in its stream. */
    record Target(String group, long seq, String epoch) {}

    /**
     * Where a slice's own range ends ({@code end}, inclusive; fixed the first time it is cut) and the slices that
     * cover what lies after it, handed on: a redelivery re-runs exactly {@code (after, end]} and hands the same rest.
     */
    record Cut(String end, List<Slice> rest) {
        public Cut {
            rest = List.copyOf(rest);
        }
    }

    /** What a worker may do with a slice it received. */
    enum Claim {
        /** Deliver it: the lease is this worker's. */
        CLAIMED,
        /** Done already: a redelivery; acknowledge it. */
        FINISHED,
        /** Another worker holds its lease: let the queue deliver it again when the lease ends. */
        BUSY,
        /** No such slice was recorded for the notification: refuse it. */
        UNKNOWN
    }

    /** The answer of {@link #claim}: the claim, the slice's recorded cut, and until when its lease is held. */
    record Claimed(Claim claim, Optional<Cut> cut, Instant leaseUntil) {}

    /** Where a slice is. */
    enum SliceState {
        QUEUED,
        RUNNING,
        DONE,
        DEAD
    }

    /** A notification's target, each slice's state with the counts of the done ones, and whether it was handed over. */
    record Progress(String target, List<SliceProgress> slices, boolean handedOver) {
        public Progress {
            slices = List.copyOf(slices);
        }
    }

    /** One slice's state and, once done, its counts. */
    record SliceProgress(SliceState state, Optional<FanoutResult> counts) {}
}
