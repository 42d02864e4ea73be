package io.groupcast.core.events.eventbridge;

import io.groupcast.core.events.LifecycleEvent;
import io.groupcast.core.events.LifecycleEvents;
import io.groupcast.core.model.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * Lifecycle events put to one EventBridge bus: at most {@link #BATCH} entries per {@code PutEvents} (EventBridge's
 * limit). The SDK retries a throttled call; entries a call reports failed with a throttling or internal error are put
 * again, up to {@link #ATTEMPTS} times with backoff. What still fails, or cannot be put at all, is counted and dropped.
 */
public final class EventBridgeEvents implements LifecycleEvents {
    /** The most entries of one {@code PutEvents}. */
    public static final int BATCH = 10;

    /** How often an entry is tried. */
    public static final int ATTEMPTS = 3;

    /** Per-entry errors worth another try. */
    private static final Set<String> RETRIED = Set.of("ThrottlingException", "InternalFailure", "InternalException");

    /** The largest entry EventBridge takes (256 KB); a larger one is counted failed without a call. */
    static final int MAX_ENTRY_BYTES = 256 * 1024;

    private final EventBridgeClient client;
    private final String bus;
    private final Duration backoff;
    private final IntConsumer lost;

    /**
     * Puts to {@code bus} (a name, {@code default} for the account's default bus) with {@code client}, telling
     * {@code lost} how many events of each call could not be put (the functions count them in a metric).
     */
    public EventBridgeEvents(EventBridgeClient client, String bus, Duration backoff, IntConsumer lost) {
        this.client = Objects.requireNonNull(client, "client");
        this.bus = Objects.requireNonNull(bus, "bus");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.lost = Objects.requireNonNull(lost, "lost");
    }

    @Override
    public void put(List<LifecycleEvent> events) {
        AtomicInteger failed = new AtomicInteger();
        List<PutEventsRequestEntry> entries = new ArrayList<>();
        for (LifecycleEvent event : events) {
            PutEventsRequestEntry entry = PutEventsRequestEntry.builder()
                    .eventBusName(bus)
                    .source(LifecycleEvent.SOURCE)
                    .detailType(event.detailType())
                    .detail(new String(Json.bytes(event.detail()), StandardCharsets.UTF_8))
                    .build();
            if (entry.detail().length() > MAX_ENTRY_BYTES / 2
                    && entry.detail().getBytes(StandardCharsets.UTF_8).length > MAX_ENTRY_BYTES - 1024) {
                failed.incrementAndGet();
            } else {
                entries.add(entry);
            }
        }
        for (int from = 0; from < entries.size(); from += BATCH) {
            failed.addAndGet(putBatch(entries.subList(from, Math.min(entries.size(), from + BATCH))));
        }
        if (failed.get() > 0) {
            lost.accept(failed.get());
        }
    }

    /** One batch, its throttled entries again after a backoff, up to {@link #ATTEMPTS} tries; answers how many failed. */
    private int putBatch(List<PutEventsRequestEntry> batch) {
        int failed = 0;
        List<PutEventsRequestEntry> pending = batch;
        for (int attempt = 1; attempt <= ATTEMPTS && !pending.isEmpty(); attempt++) {
            if (attempt > 1) {
                pause(backoff.multipliedBy(1L << (attempt - 2)));
            }
            PutEventsResponse response;
            try {
                List<PutEventsRequestEntry> sent = pending;
                response = client.putEvents(request -> request.entries(sent));
            } catch (SdkException e) {
                // the SDK retried throttling and 5xx already: these are lost
                return failed + pending.size();
            }
            List<PutEventsRequestEntry> again = new ArrayList<>();
            List<PutEventsResultEntry> results = response.entries();
            for (int i = 0; i < pending.size(); i++) {
                String error = i < results.size() ? results.get(i).errorCode() : "Missing";
                if (error == null) {
                    continue;
                }
                if (RETRIED.contains(error) && attempt < ATTEMPTS) {
                    again.add(pending.get(i));
                } else {
                    failed++;
                }
            }
            pending = again;
        }
        return failed;
    }

    private static void pause(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
