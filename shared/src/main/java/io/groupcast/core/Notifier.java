package io.groupcast.core;

import io.groupcast.core.delivery.Budget;
import io.groupcast.core.delivery.Fanout;
import io.groupcast.core.delivery.FanoutResult;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.store.MembershipStore;
import java.time.Clock;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import java.util.stream.Stream;

/** Sends a message to every live connection of a user or group. */
public record Notifier(MembershipStore store, Fanout fanout, Clock clock) {

    /**
     * Reads {@code group}'s members once and primes the fan-out's posting path, sending nothing (SnapStart priming:
     * use a group no one joins).
     */
    public void prime(GroupName group) {
        store.members(group, clock.instant()).count();
        fanout.prime();
    }

    /**
     * Delivers the request's payload to its live recipients, except the excluded ones, within the budget. A connection
     * in several of the named groups receives the message once.
     */
    public NotifyResult notify(NotifyRequest request, Budget budget) {
        long started = System.nanoTime();
        Stream<ConnectionId> members;
        if (request.connection().isPresent()) {
            members = request.connection().stream();
        } else if (request.groups().size() == 1) {
            members = store.members(request.groups().get(0), clock.instant());
        } else {
            Set<ConnectionId> seen = new HashSet<>();
            members = request.groups().stream()
                    .flatMap(group -> store.members(group, clock.instant()))
                    .filter(seen::add);
        }
        Iterator<ConnectionId> recipients = members.filter(
                        connection -> !request.except().contains(connection))
                .iterator();
        FanoutResult result = fanout.send(recipients, request.payload(), budget);
        return NotifyResult.of(result, (System.nanoTime() - started) / 1_000_000);
    }
}
