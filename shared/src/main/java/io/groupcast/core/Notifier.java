package io.groupcast.core;

import io.groupcast.core.delivery.Budget;
import io.groupcast.core.delivery.Delivery;
import io.groupcast.core.delivery.Fanout;
import io.groupcast.core.delivery.FanoutResult;
import io.groupcast.core.delivery.Frames;
import io.groupcast.core.model.Connection;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.Protocol;
import io.groupcast.core.model.Recipient;
import io.groupcast.core.scale.Notifications;
import io.groupcast.core.scale.Slice;
import io.groupcast.core.scale.SliceWorker;
import io.groupcast.core.scale.Workers;
import io.groupcast.core.store.MembershipStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.UUID;

/**
 * Sends a message to every live connection of a user or group, of several, or of all. With fan-out workers
 * ({@link Workers}), an {@code async} notify is handed to them at once, and a synchronous one that runs low on time
 * hands them the recipients it has not reached: nothing is skipped.
 */
public record Notifier(MembershipStore store, Fanout fanout, Streams streams, Workers workers, Clock clock) {

    /** A notifier without fan-out workers. */
    public Notifier(MembershipStore store, Fanout fanout, Streams streams, Clock clock) {
        this(store, fanout, streams, Workers.NONE, clock);
    }

    /**
     * Reads {@code group}'s members once and primes the fan-out's posting path, sending nothing (SnapStart priming:
     * use a group no one joins).
     */
    public void prime(GroupName group) {
        store.members(group, clock.instant()).count();
        fanout.prime();
    }

    /**
     * Delivers the request's payload to its live recipients, except the excluded ones, within the budget. The message
     * goes into the stream of each named user or group first (one sequence number each). A connection in several of
     * the named groups receives the message once, except a {@code groupcast.reliable.v1} one, which receives it in each
     * of its streams (with the same {@code id}); recipients handed to the workers are not matched across groups.
     */
    public NotifyResult notify(NotifyRequest request, Budget budget) {
        long started = System.nanoTime();
        Frames message = Frames.serverMessage(request.payload());
        if (request.connection().isPresent()) {
            ConnectionId connection = request.connection().get();
            Recipient recipient = store.connection(connection, clock.instant())
                    .map(Connection::recipient)
                    .orElse(Recipient.plain(connection));
            FanoutResult result =
                    fanout.send(List.of(new Delivery(recipient, message)).iterator(), budget);
            return NotifyResult.of(result, (System.nanoTime() - started) / 1_000_000);
        }
        String id = UUID.randomUUID().toString();
        List<GroupName> groups = request.groups();
        Map<GroupName, Frames> streamed = new LinkedHashMap<>();
        Map<GroupName, Long> seqs = new LinkedHashMap<>();
        for (GroupName group : groups) {
            Frames frames = streams.publish(group, message, id);
            streamed.put(group, frames);
            seqs.put(group, frames.seq());
        }
        if (request.async() && workers.available()) {
            String notification = Workers.newId();
            List<Slice> slices = new ArrayList<>();
            for (int i = 0; i < groups.size(); i++) {
                slices.add(Slice.whole(notification, i, groups.get(i).value(), seqs.get(groups.get(i))));
            }
            workers.start(messageOf(notification, request, id), null, slices);
            return NotifyResult.accepted(notification, (System.nanoTime() - started) / 1_000_000);
        }
        Taking taking = new Taking(request, streamed, budget, workers.available());
        FanoutResult result = fanout.send(taking, budget);
        if (!taking.stopped) {
            return NotifyResult.of(result, (System.nanoTime() - started) / 1_000_000);
        }
        // out of time: the workers take the rest, from the last recipient taken on
        String notification = Workers.newId();
        List<Slice> rest = new ArrayList<>();
        GroupName current = groups.get(taking.group);
        Slice from = new Slice(notification, taking.group, current.value(), taking.last, "", seqs.get(current), true);
        rest.addAll(from.rest(taking.last));
        for (int i = taking.group + 1; i < groups.size(); i++) {
            rest.add(Slice.whole(notification, i, groups.get(i).value(), seqs.get(groups.get(i))));
        }
        workers.start(messageOf(notification, request, id), result, rest);
        return NotifyResult.of(result, (System.nanoTime() - started) / 1_000_000)
                .handedOff(notification);
    }

    private static Notifications.Message messageOf(String notification, NotifyRequest request, String id) {
        return new Notifications.Message(notification, request.payload(), id, request.except(), request.target());
    }

    /**
     * The deliveries of a notify, group after group in connection id order, taken one by one; with workers, it stops
     * once the budget is down to {@link SliceWorker#STOP_MARGIN} and remembers where.
     */
    private final class Taking implements Iterator<Delivery> {
        final NotifyRequest request;
        final Map<GroupName, Frames> streamed;
        final Budget budget;
        final boolean mayStop;
        final Set<ConnectionId> seen = new HashSet<>();
        final List<GroupName> groups;
        Iterator<Recipient> members;
        Recipient pending;
        int group = -1;
        int pendingGroup;
        String last = "";
        boolean stopped;

        Taking(NotifyRequest request, Map<GroupName, Frames> streamed, Budget budget, boolean mayStop) {
            this.request = request;
            this.streamed = streamed;
            this.budget = budget;
            this.mayStop = mayStop;
            this.groups = request.groups();
        }

        @Override
        public boolean hasNext() {
            if (stopped) {
                return false;
            }
            while (pending == null) {
                if (members == null || !members.hasNext()) {
                    if (group + 1 >= groups.size()) {
                        return false;
                    }
                    group++;
                    last = "";
                    members =
                            store.recipients(groups.get(group), clock.instant()).iterator();
                    continue;
                }
                Recipient recipient = members.next();
                boolean first = recipient.protocol() == Protocol.RELIABLE_V1 || seen.add(recipient.id());
                if (first && !request.except().contains(recipient.id())) {
                    pending = recipient;
                    pendingGroup = group;
                } else {
                    last = recipient.id().value();
                }
            }
            if (mayStop && budget.remainingMillis() <= SliceWorker.STOP_MARGIN.toMillis()) {
                stopped = true;
                return false;
            }
            return true;
        }

        @Override
        public Delivery next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Recipient recipient = pending;
            pending = null;
            last = recipient.id().value();
            return new Delivery(recipient, streamed.get(groups.get(pendingGroup)));
        }
    }
}
