package io.groupcast.core.workers;

import java.time.Duration;
import java.util.List;

/** Where slices go for the workers: the fan-out queue ({@code FANOUT_QUEUE_URL}). */
public interface SliceQueue {
    /** No queue: every call fails (a function wired without {@code FANOUT_QUEUE_URL}). */
    SliceQueue NONE = new SliceQueue() {
        @Override
        public void send(List<Slice> slices) {
            throw new IllegalStateException("no fan-out queue");
        }

        @Override
        public void retryIn(String receipt, Duration delay) {
            throw new IllegalStateException("no fan-out queue");
        }
    };

    /** Sends slices; each is delivered at least once. */
    void send(List<Slice> slices);

    /**
     * Makes a received slice ({@code receipt}: its receipt handle) visible again after {@code delay} instead of the
     * queue's whole visibility timeout: a slice that failed for a transient reason is tried again soon.
     */
    void retryIn(String receipt, Duration delay);
}
