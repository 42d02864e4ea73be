package io.groupcast.core.delivery;

import java.util.Objects;
import java.util.function.LongSupplier;

/** How much time a fan-out has left: the Lambda context's remaining time, or unlimited. */
@FunctionalInterface
public interface Budget {
    /** Milliseconds left before the caller must have answered. */
    long remainingMillis();

    /** No deadline (tests, the local gateway's callers without a context). */
    static Budget unlimited() {
        return () -> Long.MAX_VALUE;
    }

    /** A budget read from {@code remaining}, e.g. {@code context::getRemainingTimeInMillis}. */
    static Budget of(LongSupplier remaining) {
        Objects.requireNonNull(remaining, "remaining");
        return remaining::getAsLong;
    }
}
