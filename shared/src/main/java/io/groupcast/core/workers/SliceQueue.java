package io.groupcast.core.workers;

import java.util.List;

/** Where slices go for the workers: the fan-out queue ({@code FANOUT_QUEUE_URL}). */
public interface SliceQueue {
    /** Sends slices; each is delivered at least once. */
    void send(List<Slice> slices);
}
