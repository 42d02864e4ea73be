package io.groupcast.core.events;

import java.util.List;

/** Where lifecycle events go ({@code EventBusName}): an EventBridge bus, or nowhere. */
public interface LifecycleEvents {
    /** No bus: events are dropped, nothing is called. */
    LifecycleEvents NONE = events -> {};

    /**
     * Puts {@code events}, retrying those throttled; never throws: an event that still fails is counted (the
     * {@code EventsFailed} metric) and dropped, as the action it reports has happened.
     */
    void put(List<LifecycleEvent> events);

    /** Puts one event. */
    default void put(LifecycleEvent event) {
        put(List.of(event));
    }

    /** Whether events go anywhere. */
    default boolean enabled() {
        return this != NONE;
    }
}
