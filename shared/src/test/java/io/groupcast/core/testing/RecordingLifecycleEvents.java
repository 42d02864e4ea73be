package io.groupcast.core.testing;

import io.groupcast.core.events.LifecycleEvent;
import io.groupcast.core.events.LifecycleEvents;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Lifecycle events kept in order, for unit tests: what would have gone to EventBridge. */
public final class RecordingLifecycleEvents implements LifecycleEvents {
    private final List<LifecycleEvent> put = new CopyOnWriteArrayList<>();

    @Override
    public void put(List<LifecycleEvent> events) {
        put.addAll(events);
    }

    /** Every event put so far, as {@code DetailType detail}. */
    public List<String> put() {
        return put.stream()
                .map(event -> event.detailType() + " " + event.detail())
                .toList();
    }
}
