package io.groupcast.standins;

import io.groupcast.standins.LoopbackManagementApi.Fault;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The faults scripted per connection: for every post, or for the next few posts only. */
final class ScriptedFaults {
    private final Map<String, Fault> faults = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> left = new ConcurrentHashMap<>();

    /** Every post to {@code connectionId} answers with {@code fault}. */
    void always(String connectionId, Fault fault) {
        faults.put(connectionId, fault);
        left.remove(connectionId);
    }

    /** The next {@code times} posts to {@code connectionId} answer with {@code fault}. */
    void times(String connectionId, Fault fault, int times) {
        faults.put(connectionId, fault);
        left.put(connectionId, new AtomicInteger(times));
    }

    /** The fault this post to {@code connectionId} answers with, or null; uses up one of a limited number. */
    Fault next(String connectionId) {
        Fault fault = faults.get(connectionId);
        AtomicInteger count = left.get(connectionId);
        if (fault != null && count != null && count.getAndDecrement() <= 0) {
            return null;
        }
        return fault;
    }
}
