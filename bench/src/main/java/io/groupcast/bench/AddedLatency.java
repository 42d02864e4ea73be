package io.groupcast.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Adds {@link #MILLIS} to every call of the client it is installed on while switched on. Timing the same work with
 * and without it counts the calls made one after another, whatever the machine's speed: calls made at once wait
 * their added time together.
 */
final class AddedLatency implements ExecutionInterceptor {
    static final long MILLIS = 10;

    private final AtomicBoolean on = new AtomicBoolean();

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        if (on.get()) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(MILLIS));
        }
    }

    void set(boolean added) {
        on.set(added);
    }

    /** Sequential round trips from a median with the latency added and one without, in milliseconds. */
    static long roundTrips(double addedMedianMs, double medianMs) {
        return Math.round((addedMedianMs - medianMs) / MILLIS);
    }
}
