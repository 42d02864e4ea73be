package io.groupcast.core;

import java.time.Clock;
import java.util.Iterator;
import java.util.Objects;

/** Sends a message to every live connection of a user or group. */
public final class Notifier {
    private final MembershipStore store;
    private final Fanout fanout;
    private final Clock clock;

    public Notifier(MembershipStore store, Fanout fanout, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.fanout = Objects.requireNonNull(fanout, "fanout");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Delivers the request's payload to the target's live members, except the excluded ones, within the budget. */
    /**
     * Reads {@code group}'s members once and primes the fan-out's posting path, sending nothing (SnapStart priming:
     * use a group no one joins).
     */
    public void prime(GroupName group) {
        store.members(group, clock.instant()).count();
        fanout.prime();
    }

    public NotifyResult notify(NotifyRequest request, Budget budget) {
        long started = System.nanoTime();
        Iterator<ConnectionId> recipients = store.members(request.target(), clock.instant())
                .filter(connection -> !request.except().contains(connection))
                .iterator();
        FanoutResult result = fanout.send(recipients, request.payload(), budget);
        return NotifyResult.of(result, (System.nanoTime() - started) / 1_000_000);
    }
}
