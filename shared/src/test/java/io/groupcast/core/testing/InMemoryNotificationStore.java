package io.groupcast.core.testing;

import io.groupcast.core.delivery.FanoutResult;
import io.groupcast.core.workers.NotificationStore;
import io.groupcast.core.workers.Slice;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link NotificationStore} in memory (it never expires what it holds). */
public final class InMemoryNotificationStore implements NotificationStore {
    private final Map<String, Message> messages = new ConcurrentHashMap<>();
    private final Set<String> handedOver = ConcurrentHashMap.newKeySet();
    private final Map<String, Map<String, Held>> slices = new ConcurrentHashMap<>();
    private final Outage outage;

    private record Held(SliceState state, Instant leaseUntil, Optional<FanoutResult> counts, Optional<Cut> cut) {}

    public InMemoryNotificationStore(Outage outage) {
        this.outage = outage;
    }

    @Override
    public void create(Message message, Instant now) {
        outage.check();
        messages.put(message.id(), message);
    }

    @Override
    public void handedOver(String id, Instant now) {
        outage.check();
        handedOver.add(id);
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
                .putIfAbsent(
                        slice.id(), new Held(SliceState.QUEUED, Instant.EPOCH, Optional.empty(), Optional.empty())));
    }

    @Override
    public synchronized Claimed claim(Slice slice, Instant until, Instant now) {
        outage.check();
        Map<String, Held> of = slicesOf(slice.notificationId());
        Held held = of.get(slice.id());
        if (held == null) {
            return new Claimed(Claim.UNKNOWN, Optional.empty(), now);
        }
        if (held.state() == SliceState.QUEUED
                || held.state() == SliceState.DEAD
                || (held.state() == SliceState.RUNNING && held.leaseUntil().isBefore(now))) {
            of.put(slice.id(), new Held(SliceState.RUNNING, until, Optional.empty(), held.cut()));
            return new Claimed(Claim.CLAIMED, held.cut(), until);
        }
        return held.state() == SliceState.DONE
                ? new Claimed(Claim.FINISHED, Optional.empty(), now)
                : new Claimed(Claim.BUSY, Optional.empty(), held.leaseUntil());
    }

    @Override
    public synchronized Optional<Cut> cut(Slice slice, Cut cut, Instant lease, boolean replace, Instant now) {
        outage.check();
        Map<String, Held> of = slicesOf(slice.notificationId());
        Held held = of.get(slice.id());
        if (held == null
                || held.state() != SliceState.RUNNING
                || !held.leaseUntil().equals(lease)) {
            return Optional.empty();
        }
        Cut kept = replace || held.cut().isEmpty() ? cut : held.cut().get();
        of.put(slice.id(), new Held(SliceState.RUNNING, lease, Optional.empty(), Optional.of(kept)));
        return Optional.of(kept);
    }

    @Override
    public synchronized void release(Slice slice, Instant lease, Instant now) {
        outage.check();
        Map<String, Held> of = slicesOf(slice.notificationId());
        Held held = of.get(slice.id());
        if (held != null
                && held.state() == SliceState.RUNNING
                && held.leaseUntil().equals(lease)) {
            of.put(slice.id(), new Held(SliceState.QUEUED, Instant.EPOCH, Optional.empty(), held.cut()));
        }
    }

    @Override
    public void done(String notificationId, String sliceId, FanoutResult result, Instant now) {
        outage.check();
        slicesOf(notificationId)
                .put(sliceId, new Held(SliceState.DONE, Instant.EPOCH, Optional.of(result), Optional.empty()));
    }

    @Override
    public synchronized void dead(Slice slice, String error, Instant now) {
        outage.check();
        Map<String, Held> of = slicesOf(slice.notificationId());
        Optional<Cut> cut = Optional.ofNullable(of.get(slice.id())).flatMap(Held::cut);
        of.put(slice.id(), new Held(SliceState.DEAD, Instant.EPOCH, Optional.empty(), cut));
    }

    @Override
    public Optional<Progress> progress(String id, Instant now) {
        outage.check();
        return Optional.ofNullable(messages.get(id))
                .map(message -> new Progress(
                        message.target(),
                        slicesOf(id).values().stream()
                                .map(held -> new SliceProgress(held.state(), held.counts()))
                                .toList(),
                        handedOver.contains(id)));
    }

    private Map<String, Held> slicesOf(String notificationId) {
        return slices.computeIfAbsent(notificationId, n -> new ConcurrentHashMap<>());
    }
}
