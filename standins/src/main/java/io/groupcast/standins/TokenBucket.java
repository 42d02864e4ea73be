package io.groupcast.standins;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A token bucket, as API Gateway's account quota throttles: a rate of tokens a second and a burst of a tenth of that;
 * a zero rate never runs dry. Counts the takes it refused.
 */
final class TokenBucket {
    private final AtomicInteger refused = new AtomicInteger();
    private double rate;
    private double tokens;
    private long at;

    /** Refills at {@code perSecond} from now on, starting with a full burst. */
    synchronized void rate(int perSecond) {
        rate = perSecond;
        tokens = perSecond / 10.0;
        at = System.nanoTime();
    }

    /** Takes a token, or answers false (and counts it) when the bucket is empty. */
    synchronized boolean take() {
        if (rate <= 0) {
            return true;
        }
        long now = System.nanoTime();
        tokens = Math.min(rate / 10.0, tokens + (now - at) / 1e9 * rate);
        at = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        refused.incrementAndGet();
        return false;
    }

    /** How many takes found the bucket empty. */
    int refused() {
        return refused.get();
    }
}
