package io.groupcast.core.store;

import java.time.Instant;
import java.util.Optional;

/**
 * Requests remembered by a key for a window, so that a repeat is answered instead of done again (a notify's
 * {@code idempotencyKey}, a client {@code send}'s {@code ackId}), as Powertools' idempotency persistence does.
 */
public interface IdempotencyStore {
    /**
     * Takes {@code key} for a request whose content hashes to {@code hash}: granted when the key is new, expired, or
     * its earlier request failed or was abandoned (its lock ran out), keeping the {@code messageId} an earlier
     * attempt was given; otherwise what the key holds. A granted key is locked until {@code lockedUntil} and
     * remembered until {@code expiresAt}.
     */
    Claim claim(String key, String hash, String messageId, Instant now, Instant lockedUntil, Instant expiresAt);

    /** Records the request as done, with the answer a repeat gets. */
    void complete(String key, byte[] answer);

    /** Records the request as failed: a repeat may try again (with the same message id). */
    void fail(String key);

    /** What a claim found. */
    enum State {
        /** The key is this request's: do it. */
        GRANTED,
        /** Another request holds the key and has not finished. */
        IN_PROGRESS,
        /** The key's request is done: answer as it was answered. */
        COMPLETED
    }

    /**
     * What a claim found: the state, the hash of the request that holds the key, the message id to use, and the
     * answer once completed.
     */
    record Claim(State state, String hash, String messageId, Optional<byte[]> answer) {}
}
