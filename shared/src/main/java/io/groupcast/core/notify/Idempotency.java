package io.groupcast.core.notify;

import io.groupcast.core.delivery.Budget;
import io.groupcast.core.store.IdempotencyStore;
import io.groupcast.core.store.StoreUnavailableException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Does a keyed request once within a window: the first takes the key, a repeat is answered as the first was (or told
 * it is still running), and a request that failed leaves the key to its retry, with the same message id, so that
 * reliable clients drop a copy a retry delivers again.
 */
public record Idempotency(IdempotencyStore store, Clock clock) {
    /** How long a notify's {@code idempotencyKey} is remembered. */
    public static final Duration NOTIFY_WINDOW = Duration.ofHours(1);

    /** How long a client {@code send}'s {@code ackId} is remembered on its connection. */
    public static final Duration SEND_WINDOW = Duration.ofMinutes(10);

    /** Takes {@code key} for a request hashing to {@code hash}, locked for the rest of the budget at most. */
    public IdempotencyStore.Claim claim(String key, String hash, Duration window, Budget budget) {
        Instant now = clock.instant();
        Instant lockedUntil = now.plusMillis(Math.min(budget.remainingMillis(), window.toMillis()));
        return store.claim(key, hash, UUID.randomUUID().toString(), now, lockedUntil, now.plus(window));
    }

    /** Does the request of a granted key: its answer ({@code record}) is kept, or the key released on failure. */
    public <T> T run(String key, Supplier<T> request, Function<T, byte[]> record) {
        T answer;
        try {
            answer = request.get();
        } catch (RuntimeException e) {
            try {
                store.fail(key);
            } catch (StoreUnavailableException unreachable) {
                // the lock runs out in the end, and the key is free again
            }
            throw e;
        }
        store.complete(key, record.apply(answer));
        return answer;
    }

    /** The SHA-256 of a request's parts, in hex. */
    public static String hash(String... parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String part : parts) {
                digest.update(part.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
