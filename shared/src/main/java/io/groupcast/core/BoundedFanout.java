package io.groupcast.core;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Posts concurrently with at most {@code maxInFlight} posts outstanding, reading recipients as it goes (so
 * posting starts before the last page of the group is read), then deletes the memberships of gone connections.
 */
public final class BoundedFanout implements Fanout {
    /** Default limit of concurrent posts. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 128;

    private final Connections connections;
    private final MembershipStore store;
    private final int maxInFlight;

    public BoundedFanout(Connections connections, MembershipStore store, int maxInFlight) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1, was " + maxInFlight);
        }
        this.connections = Objects.requireNonNull(connections, "connections");
        this.store = Objects.requireNonNull(store, "store");
        this.maxInFlight = maxInFlight;
    }

    @Override
    public FanoutResult send(Iterator<ConnectionId> recipients, byte[] payload) {
        Semaphore slots = new Semaphore(maxInFlight);
        AtomicInteger delivered = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        ConcurrentLinkedQueue<ConnectionId> gone = new ConcurrentLinkedQueue<>();
        int count = 0;
        try {
            while (recipients.hasNext()) {
                ConnectionId connection = recipients.next();
                slots.acquireUninterruptibly();
                count++;
                connections.post(connection, payload).whenComplete((outcome, error) -> {
                    if (outcome == PostOutcome.DELIVERED) {
                        delivered.incrementAndGet();
                    } else if (outcome == PostOutcome.GONE) {
                        gone.add(connection);
                    } else {
                        failed.incrementAndGet();
                    }
                    slots.release();
                });
            }
        } finally {
            slots.acquireUninterruptibly(maxInFlight);
        }
        prune(new ArrayList<>(gone));
        return new FanoutResult(count, delivered.get(), gone.size(), failed.get());
    }

    private void prune(List<ConnectionId> gone) {
        for (ConnectionId connection : gone) {
            try {
                store.disconnect(connection);
            } catch (StoreUnavailableException e) {
                // TTL and read-time filtering remove it later; the delivery counts stand.
            }
        }
    }
}
