package io.groupcast.core;

import io.groupcast.core.delivery.Budget;
import io.groupcast.core.delivery.Fanout;
import io.groupcast.core.delivery.FanoutResult;
import io.groupcast.core.delivery.Frames;
import io.groupcast.core.model.Connection;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.Recipient;
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
        Stream<Recipient> members;
        if (request.connection().isPresent()) {
            ConnectionId connection = request.connection().get();
            members = Stream.of(store.connection(connection, clock.instant())
                    .map(Connection::recipient)
                    .orElse(Recipient.plain(connection)));
        } else if (request.groups().size() == 1) {
            members = store.recipients(request.groups().get(0), clock.instant());
        } else {
            Set<ConnectionId> seen = new HashSet<>();
            members = request.groups().stream()
                    .flatMap(group -> store.recipients(group, clock.instant()))
                    .filter(recipient -> seen.add(recipient.id()));
        }
        Iterator<Recipient> recipients = members.filter(
                        recipient -> !request.except().contains(recipient.id()))
                .iterator();
        FanoutResult result = fanout.send(recipients, Frames.serverMessage(request.payload()), budget);
        return NotifyResult.of(result, (System.nanoTime() - started) / 1_000_000);
    }
}
