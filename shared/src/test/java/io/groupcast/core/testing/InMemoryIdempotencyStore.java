package io.groupcast.core.testing;

import io.groupcast.core.store.IdempotencyStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** An {@link IdempotencyStore} in memory. */
public final class InMemoryIdempotencyStore implements IdempotencyStore {
    private final Map<String, Held> held = new HashMap<>();
    private final Outage outage;

    private record Held(
            String state,
            String hash,
            String messageId,
            Instant lockedUntil,
            Instant expiresAt,
            Optional<byte[]> answer) {}

    public InMemoryIdempotencyStore(Outage outage) {
        this.outage = outage;
    }

    @Override
    public synchronized Claim claim(
            String key, String hash, String messageId, Instant now, Instant lockedUntil, Instant expiresAt) {
        outage.check();
        Held old = held.get(key);
        if (old == null || old.expiresAt().isBefore(now)) {
            held.put(key, new Held("in_progress", hash, messageId, lockedUntil, expiresAt, Optional.empty()));
            return new Claim(State.GRANTED, hash, messageId, Optional.empty());
        }
        boolean retry = old.hash().equals(hash)
                && (old.state().equals("failed")
                        || (old.state().equals("in_progress")
                                && old.lockedUntil().isBefore(now)));
        if (retry) {
            held.put(
                    key,
                    new Held("in_progress", hash, old.messageId(), lockedUntil, old.expiresAt(), Optional.empty()));
            return new Claim(State.GRANTED, hash, old.messageId(), Optional.empty());
        }
        return new Claim(
                old.state().equals("completed") ? State.COMPLETED : State.IN_PROGRESS,
                old.hash(),
                old.messageId(),
                old.answer());
    }

    @Override
    public synchronized void complete(String key, byte[] answer) {
        outage.check();
        Held old = held.get(key);
        held.put(
                key,
                new Held(
                        "completed",
                        old.hash(),
                        old.messageId(),
                        old.lockedUntil(),
                        old.expiresAt(),
                        Optional.of(answer)));
    }

    @Override
    public synchronized void fail(String key) {
        outage.check();
        Held old = held.get(key);
        held.put(
                key, new Held("failed", old.hash(), old.messageId(), old.lockedUntil(), old.expiresAt(), old.answer()));
    }
}
