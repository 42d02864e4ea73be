package io.groupcast.core.testing;

import io.groupcast.core.workers.Slice;
import io.groupcast.core.workers.SliceQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A {@link SliceQueue} that keeps what was sent to it and the visibility changes asked of it. */
public final class RecordingSliceQueue implements SliceQueue {
    private final List<Slice> sent = new ArrayList<>();
    private final Map<String, Duration> retries = new LinkedHashMap<>();

    @Override
    public synchronized void send(List<Slice> slices) {
        sent.addAll(slices);
    }

    @Override
    public synchronized void retryIn(String receipt, Duration delay) {
        retries.put(receipt, delay);
    }

    /** Every slice sent so far, in order. */
    public synchronized List<Slice> sent() {
        return List.copyOf(sent);
    }

    /** Takes every slice sent so far, leaving none. */
    public synchronized List<Slice> take() {
        List<Slice> taken = List.copyOf(sent);
        sent.clear();
        return taken;
    }

    /** The visibility asked for each receipt handle. */
    public synchronized Map<String, Duration> retries() {
        return Map.copyOf(retries);
    }
}
