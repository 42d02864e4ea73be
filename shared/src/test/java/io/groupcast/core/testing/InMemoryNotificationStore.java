package io.groupcast.core.testing;

import io.groupcast.core.delivery.FanoutResult;
import io.groupcast.core.workers.NotificationStore;
import io.groupcast.core.workers.Slice;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link NotificationStore} in memory (it never expires what it holds). */
public final class InMemoryNotificationStore implements NotificationStore {
    private final Map<String, Message> messages = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Held>> slices = new ConcurrentHashMap<>();
    private final Outage outage;

    private record Held(SliceState state, Instant leaseUntil, Optional<FanoutResult> counts) {}

    public InMemoryNotificationStore(Outage outage) {
        this.outage = outage;
    }

    @Override
    public void create(Message message, Instant now) {
        outage.check();
        messages.put(message.id(), message);
    }

    @Override
    public Optional<Message> message(String id) {
        outage.check();
        return Optional.ofNullable(messages.get(id));
    }

    @Override
    public void queued(List<Slice> queued, Instant now) {
        outage.check();
        queued.forEach(slice -> slicesOf(slice.notificationId())
                .putIfAbsent(slice.id(), new Held(SliceState.QUEUED, Instant.EPOCH, Optional.empty())));
    }

    @Override
    public synchronized Claim claim(Slice slice, Instant until, Instant now) {
        outage.check();
        Map<String, Held> of = slicesOf(slice.notificationId());
        Held held = of.get(slice.id());
        if (held == null
                || held.state() == SliceState.QUEUED
                || (held.state() == SliceState.RUNNING && held.leaseUntil().isBefore(now))) {
            of.put(slice.id(), new Held(SliceState.RUNNING, until, Optional.empty()));
            return Claim.CLAIMED;
        }
        return held.state() == SliceState.DONE || held.state() == SliceState.DEAD ? Claim.FINISHED : Claim.BUSY;
    }

    @Override
    public void done(String notificationId, String sliceId, FanoutResult result, Instant now) {
        outage.check();
        slicesOf(notificationId).put(sliceId, new Held(SliceState.DONE, Instant.EPOCH, Optional.of(result)));
    }

    @Override
    public void dead(Slice slice, String error, Instant now) {
        outage.check();
        slicesOf(slice.notificationId()).put(slice.id(), new Held(SliceState.DEAD, Instant.EPOCH, Optional.empty()));
    }

    @Override
    public Optional<Progress> progress(String id, Instant now) {
        outage.check();
        return Optional.ofNullable(messages.get(id))
                .map(message -> new Progress(
                        message.target(),
                        slicesOf(id).values().stream()
                                .map(held -> new SliceProgress(held.state(), held.counts()))
                                .toList()));
    }

    private Map<String, Held> slicesOf(String notificationId) {
        return slices.computeIfAbsent(notificationId, n -> new ConcurrentHashMap<>());
    }
}
