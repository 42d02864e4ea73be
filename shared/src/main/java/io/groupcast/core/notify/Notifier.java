package io.groupcast.core.notify;

import io.groupcast.core.delivery.Budget;
import io.groupcast.core.delivery.Delivery;
import io.groupcast.core.delivery.Fanout;
import io.groupcast.core.delivery.FanoutResult;
import io.groupcast.core.delivery.Taking;
import io.groupcast.core.model.Connection;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.ErrorCode;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.Names;
import io.groupcast.core.model.Protocol;
import io.groupcast.core.model.Recipient;
import io.groupcast.core.model.RequestException;
import io.groupcast.core.protocol.MessageFrames;
import io.groupcast.core.protocol.ServerFrames;
import io.groupcast.core.store.IdempotencyStore;
import io.groupcast.core.store.MembershipStore;
import io.groupcast.core.streams.Streams;
import io.groupcast.core.workers.NotificationStore;
import io.groupcast.core.workers.Slice;
import io.groupcast.core.workers.SliceWorker;
import io.groupcast.core.workers.Workers;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Sends a message to every live connection of a user or group, of several, or of all. With fan-out workers
 * ({@link Workers}), an {@code async} notify is handed to them at once, and a synchronous one that runs low on time
 * hands them the recipients it has not reached: nothing is skipped.
 */
public record Notifier(
        MembershipStore store,
        Fanout fanout,
        Streams streams,
        Workers workers,
        Idempotency idempotency,
        boolean broadcast,
        Clock clock) {

    /** A notifier without fan-out workers. */
    public Notifier(MembershipStore store, Fanout fanout, Streams streams, Idempotency idempotency, Clock clock) {
        this(store, fanout, streams, Workers.NONE, idempotency, clock);
    }

    /** A notifier on a stack whose connections join the broadcast shards ({@code {"all":true}} reaches them). */
    public Notifier(
            MembershipStore store,
            Fanout fanout,
            Streams streams,
            Workers workers,
            Idempotency idempotency,
            Clock clock) {
        this(store, fanout, streams, workers, idempotency, true, clock);
    }

    /**
     * Reads {@code group}'s members once and primes the fan-out's posting path, sending nothing (SnapStart priming:
     * use a group no one joins).
     */
    public void prime(GroupName group) {
        store.prime(group, clock.instant());
        fanout.prime();
    }

    /**
     * Delivers the request's payload to its live recipients, except the excluded ones, within the budget. The message
     * goes into the stream of each named user or group first (one sequence number each). A connection in several of
     * the named groups receives the message once, except a {@code groupcast.reliable.v1} one, which receives it in each
     * of its streams (with the same {@code id}); recipients handed to the workers are not matched across groups.
     */
    public NotifyResult notify(NotifyRequest request, Budget budget) {
        if (request.all() && !broadcast) {
            throw new RequestException(
                    ErrorCode.BROADCAST_DISABLED,
                    "this stack does not broadcast: its connections join no broadcast shard (BroadcastToAll=Disabled);"
                            + " notify users or groups instead, or deploy with BroadcastToAll=Enabled");
        }
        if (request.idempotencyKey().isEmpty()) {
            return deliver(request, budget, UUID.randomUUID().toString());
        }
        String key = "notify:" + request.idempotencyKey().get();
        IdempotencyStore.Claim claim = idempotency.claim(key, request.hash(), Idempotency.NOTIFY_WINDOW, budget);
        if (!claim.hash().equals(request.hash())) {
            throw new RequestException(
                    ErrorCode.IDEMPOTENCY_KEY_REUSED,
                    "idempotencyKey " + Names.describe(request.idempotencyKey().get())
                            + " was used for a different notify within the last hour; use a new key for a new notify");
        }
        return switch (claim.state()) {
            case COMPLETED -> NotifyResult.repeated(claim.answer().orElseThrow());
            case IN_PROGRESS ->
                throw new RequestException(
                        ErrorCode.REQUEST_IN_PROGRESS,
                        "a notify with this idempotencyKey is still running; ask again in a moment");
            case GRANTED ->
                idempotency.run(key, () -> deliver(request, budget, claim.messageId()), NotifyResult::record);
        };
    }

    /** Delivers a notify whose message has the id {@code id} in every stream it goes into. */
    private NotifyResult deliver(NotifyRequest request, Budget budget, String id) {
        long started = System.nanoTime();
        MessageFrames message = MessageFrames.fromServer(request.payload());
        if (request.connection().isPresent()) {
            ConnectionId connection = request.connection().get();
            Recipient recipient = store.connection(connection, clock.instant())
                    .map(Connection::recipient)
                    .orElse(Recipient.plain(connection));
            FanoutResult result =
                    fanout.send(List.of(new Delivery(recipient, message)).iterator(), budget);
            return NotifyResult.of(result, millisSince(started));
        }
        List<GroupName> groups = request.groups();
        boolean async = request.async() && workers.available();
        Streams.Message inStreams = new Streams.Message(id, request.except(), async);
        List<Streams.Pending> streamed = new ArrayList<>();
        for (GroupName group : groups) {
            streamed.add(streams.start(group, message, inStreams));
        }
        if (async) {
            String notification = Workers.newId();
            List<Slice> slices = new ArrayList<>();
            for (int i = 0; i < groups.size(); i++) {
                slices.add(whole(notification, i, groups.get(i), streamed.get(i)));
            }
            streamed.forEach(Streams.Pending::kept);
            workers.start(messageOf(notification, request, id, slices), null, slices);
            return NotifyResult.accepted(notification, millisSince(started));
        }
        Targets targets = new Targets(request, streamed);
        Taking<Delivery> taking =
                Taking.until(targets, workers.available() ? budget : Budget.unlimited(), SliceWorker.STOP_MARGIN);
        FanoutResult result = fanout.send(taking, budget);
        if (!taking.stopped()) {
            streamed.forEach(Streams.Pending::kept);
            return NotifyResult.of(result, millisSince(started));
        }
        // out of time: the workers take the rest, from the last recipient passed on; a resume meanwhile must find
        // the message kept as long as theirs
        streamed.forEach(Streams.Pending::handedOff);
        String notification = Workers.newId();
        int group = targets.passedGroup;
        String last = targets.passed;
        List<Slice> wholes = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            wholes.add(whole(notification, i, groups.get(i), streamed.get(i)));
        }
        List<Slice> rest = new ArrayList<>(wholes.get(group).rest(last));
        rest.addAll(wholes.subList(group + 1, wholes.size()));
        workers.start(messageOf(notification, request, id, wholes), result, rest);
        return NotifyResult.of(result, millisSince(started)).handedOff(notification);
    }

    /** A group's whole slice, with the message's number and epoch in its stream. */
    private static Slice whole(String notification, int index, GroupName group, Streams.Pending streamed) {
        Optional<ServerFrames.Position> at = streamed.frames().position();
        return Slice.whole(
                notification,
                index,
                group.value(),
                at.map(ServerFrames.Position::seq).orElse(0L),
                at.map(ServerFrames.Position::epoch).orElse(""));
    }

    private static long millisSince(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }

    /** A notification's record: its message, and each group's whole slice with its numbers, checked by the workers. */
    private static NotificationStore.Message messageOf(
            String notification, NotifyRequest request, String id, List<Slice> wholes) {
        return new NotificationStore.Message(
                notification,
                request.payload(),
                id,
                request.except(),
                request.target(),
                wholes.stream()
                        .map(whole -> new NotificationStore.Target(whole.group(), whole.seq(), whole.epoch()))
                        .toList());
    }

    /**
     * A notify's deliveries, group after group in connection id order, read as they are taken: the excluded
     * connections left out, a connection in several groups once (a reliable one once in each of its streams). It
     * remembers the last recipient it passed (taken or left out): a stopped notify hands on what lies after it.
     */
    private final class Targets implements Iterator<Delivery> {
        private final NotifyRequest request;
        private final List<Streams.Pending> streamed;
        private final Set<ConnectionId> seen = new HashSet<>();
        private Iterator<Recipient> members;
        private int group = -1;
        private Delivery pending;
        int passedGroup;
        String passed = "";

        Targets(NotifyRequest request, List<Streams.Pending> streamed) {
            this.request = request;
            this.streamed = streamed;
        }

        @Override
        public boolean hasNext() {
            while (pending == null) {
                if (members == null || !members.hasNext()) {
                    if (group + 1 >= request.groups().size()) {
                        return false;
                    }
                    group++;
                    passedGroup = group;
                    passed = "";
                    // the group's resumable mark comes with its members: it decides the stream's number
                    members = store.recipients(
                                    request.groups().get(group), clock.instant(), streamed.get(group)::resumableUntil)
                            .iterator();
                    continue;
                }
                Recipient recipient = members.next();
                boolean first = recipient.protocol() == Protocol.RELIABLE_V1 || seen.add(recipient.id());
                pending = first
                        ? Delivery.unless(
                                        request.except(),
                                        recipient,
                                        streamed.get(group).frames())
                                .orElse(null)
                        : null;
                if (pending == null) {
                    passed = recipient.id().value();
                }
            }
            return true;
        }

        @Override
        public Delivery next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Delivery next = pending;
            pending = null;
            passed = next.recipient().id().value();
            return next;
        }
    }
}
