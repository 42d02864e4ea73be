package io.groupcast.core.connections;

import io.groupcast.core.delivery.Budget;
import io.groupcast.core.events.LifecycleEvent;
import io.groupcast.core.events.LifecycleEvents;
import io.groupcast.core.groups.Groups;
import io.groupcast.core.handlers.ConnectHook;
import io.groupcast.core.model.Connection;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.ErrorCode;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.Names;
import io.groupcast.core.model.RequestException;
import io.groupcast.core.model.UserId;
import io.groupcast.core.store.LinkStore;
import io.groupcast.core.store.MembershipStore;
import io.groupcast.core.store.StoreUnavailableException;
import io.groupcast.core.streams.Streams;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A connection opening ({@code $connect}) and closing ({@code $disconnect}): what the table records of it. A connect
 * runs its independent store calls at once: two sequential round trips for a user without links (its slots and links
 * read together; its slot taken while its items are written in one batch), three with links (the links read again).
 *
 * @param broadcast  whether connections join a broadcast shard, so that {@code {"all":true}} reaches them
 *     ({@code BROADCAST_TO_ALL})
 * @param background runs a connect's calls side by side
 * @param hook       asks the application first ({@code ConnectHook=Enabled}), before the first round: it may refuse,
 *     add roles (written in the second round) and name groups to join (joined with the linked ones)
 * @param events     where {@code Connected} and {@code Disconnected} go ({@code EventBusName}), once done
 */
public record ConnectionLifecycle(
        MembershipStore store,
        LinkStore links,
        Streams streams,
        UserLimits limits,
        boolean broadcast,
        Executor background,
        Clock clock,
        ConnectHook hook,
        LifecycleEvents events) {

    /** A lifecycle whose connections join the broadcast shard, its calls made one after another. */
    public ConnectionLifecycle(
            MembershipStore store, LinkStore links, Streams streams, UserLimits limits, Clock clock) {
        this(store, links, streams, limits, true, Runnable::run, clock);
    }

    /** A lifecycle without a connect hook. */
    public ConnectionLifecycle(
            MembershipStore store,
            LinkStore links,
            Streams streams,
            UserLimits limits,
            boolean broadcast,
            Executor background,
            Clock clock) {
        this(store, links, streams, limits, broadcast, background, clock, ConnectHook.NONE);
    }

    /** A lifecycle with a connect hook and no lifecycle events. */
    public ConnectionLifecycle(
            MembershipStore store,
            LinkStore links,
            Streams streams,
            UserLimits limits,
            boolean broadcast,
            Executor background,
            Clock clock,
            ConnectHook hook) {
        this(store, links, streams, limits, broadcast, background, clock, hook, LifecycleEvents.NONE);
    }

    /**
     * How often a connect tries for a slot when connects of the same user race for them; each picks one of the free
     * slots at random, so a burst of a user's tabs seldom meets twice.
     */
    static final int SLOT_TRIES = 8;

    /**
     * Records a new connection in its user's group, the broadcast shard, and every group its user is linked to (at
     * most {@link UserLimits#maxLinks}), each membership ending when the connection or the link ends, whichever is
     * first. Refuses with {@code too_many_connections} when the user's {@link UserLimits#maxConnections} slots are all
     * held by live connections: taking a slot is one conditional write, so racing connects cannot pass together. A
     * connect that fails or is refused after writing removes what it wrote. Answers how many links applied.
     */
    public int opened(Connection connection) {
        return opened(connection, Budget.unlimited());
    }

    /**
     * As {@link #opened(Connection)}, starting no round of store calls with less than
     * {@link StoreUnavailableException#CALL_TIMEOUT} of {@code budget} left: a slow store fails the connect (500, and
     * what it wrote removed) before the function's time limit.
     */
    public int opened(Connection connection, Budget budget) {
        return opened(connection, admit(connection, budget), budget);
    }

    /**
     * The connect hook's decision on {@code connection} (as it is when the stack has no hook), before any store call;
     * throws {@link io.groupcast.core.handlers.ConnectRefusedException} when it refuses the connection.
     */
    public ConnectHook.Admission admit(Connection connection, Budget budget) {
        return hook.admit(connection, budget);
    }

    /** As {@link #opened(Connection, Budget)}, with what the connect hook decided: its roles and its groups. */
    public int opened(Connection connection, ConnectHook.Admission admission, Budget budget) {
        StoreUnavailableException.requireTime(budget.remainingMillis());
        Instant now = clock.instant();
        CompletableFuture<Set<Integer>> held =
                CompletableFuture.supplyAsync(() -> store.slots(connection.user(), now), background);
        Map<GroupName, Instant> linked = new HashMap<>();
        links.links(connection.user(), now).entrySet().stream()
                .limit(limits.maxLinks())
                .forEach(link -> linked.put(link.getKey(), Groups.earliest(connection.expiresAt(), link.getValue())));
        // the hook's groups last as long as the connection, whether or not a link names them too
        admission.groups().forEach(group -> linked.put(group, connection.expiresAt()));
        Set<GroupName> fromLinks = new HashSet<>(linked.keySet());
        fromLinks.removeAll(admission.groups());
        int slot = freeSlot(connection, joined(held));
        MembershipStore.Opening first = new MembershipStore.Opening(connection, slot, linked, broadcast);
        StoreUnavailableException.requireTime(budget.remainingMillis());
        CompletableFuture<Boolean> taken = CompletableFuture.supplyAsync(
                () -> store.takeSlot(connection.user(), slot, connection.id(), connection.expiresAt(), now),
                background);
        CompletableFuture<Void> streamed = CompletableFuture.runAsync(() -> joinStreams(first), background);
        CompletableFuture<Void> granted =
                CompletableFuture.runAsync(() -> hook.record(connection, admission), background);
        try {
            store.connect(first);
            joined(streamed);
            joined(granted);
            MembershipStore.Opening opening = joined(taken) ? first : retakeSlot(first, budget);
            int applied = fromLinks.isEmpty() ? 0 : recheckLinks(opening, fromLinks, budget);
            events.put(LifecycleEvent.connected(connection, opening.joins().keySet(), clock.instant()));
            return applied;
        } catch (RuntimeException e) {
            // the slot's put and the streams' writes may still be in flight: let them land, then remove them too
            settle(taken);
            settle(streamed);
            settle(granted);
            abandon(first);
            throw e;
        }
    }

    /** Waits for a call the connect started, whatever it comes to. */
    private static void settle(CompletableFuture<?> call) {
        try {
            call.join();
        } catch (RuntimeException ignored) {
            // its failure is the store's; what it wrote, if anything, abandon removes
        }
    }

    /** A reliable connection's streams: its user's, and each linked group's, resumable from now on. */
    private void joinStreams(MembershipStore.Opening opening) {
        Connection connection = opening.connection();
        streams.joined(connection, GroupName.ofUser(connection.user()), -1);
        opening.joins().keySet().forEach(group -> streams.joined(connection, group, -1));
    }

    /**
     * One of the slots no live connection of the user holds, at random (racing connects that all read the same slots
     * would otherwise all try the lowest); {@code too_many_connections} when there is none.
     */
    private int freeSlot(Connection connection, Set<Integer> held) {
        int free = limits.maxConnections()
                - (int) held.stream()
                        .filter(slot -> slot < limits.maxConnections())
                        .count();
        if (free <= 0) {
            throw tooMany(connection, held.size());
        }
        int pick = ThreadLocalRandom.current().nextInt(free);
        for (int slot = 0; ; slot++) {
            if (!held.contains(slot) && pick-- == 0) {
                return slot;
            }
        }
    }

    /**
     * Another connect of the user took the slot first: reads the slots again and takes another, recording it on the
     * connection's record; refuses (the caller removes what was written) when none is free after a few tries.
     */
    private MembershipStore.Opening retakeSlot(MembershipStore.Opening opening, Budget budget) {
        Connection connection = opening.connection();
        for (int attempt = 1; attempt < SLOT_TRIES; attempt++) {
            StoreUnavailableException.requireTime(budget.remainingMillis());
            int slot = freeSlot(connection, store.slots(connection.user(), clock.instant()));
            if (store.takeSlot(connection.user(), slot, connection.id(), connection.expiresAt(), clock.instant())) {
                MembershipStore.Opening retaken =
                        new MembershipStore.Opening(connection, slot, opening.joins(), opening.broadcast());
                try {
                    store.connect(retaken);
                } catch (RuntimeException e) {
                    abandon(retaken); // frees the slot this connection took; the caller removes the rest
                    throw e;
                }
                return retaken;
            }
        }
        throw tooMany(connection, limits.maxConnections());
    }

    /**
     * A link removed while this connection joined it may have missed the connection (the removal lists the user's
     * connections before the join lands): reads the links again and leaves the groups no longer linked.
     */
    private int recheckLinks(MembershipStore.Opening opening, Set<GroupName> fromLinks, Budget budget) {
        Connection connection = opening.connection();
        StoreUnavailableException.requireTime(budget.remainingMillis());
        Set<GroupName> still = links.links(connection.user(), clock.instant()).keySet();
        int applied = 0;
        for (GroupName group : fromLinks) {
            if (still.contains(group)) {
                applied++;
            } else {
                store.leave(connection.id(), group);
                streams.left(connection, group);
            }
        }
        return applied;
    }

    private void abandon(MembershipStore.Opening opening) {
        try {
            store.abandon(opening);
        } catch (RuntimeException cleanup) {
            // the store is down: what was written expires with the connection (TTL), and posts to it are pruned (410)
        }
    }

    private RequestException tooMany(Connection connection, int live) {
        return new RequestException(
                ErrorCode.TOO_MANY_CONNECTIONS,
                "user " + Names.describe(connection.user().value()) + " already has " + live
                        + " live connections, the most allowed (MaxConnectionsPerUser)");
    }

    private static <T> T joined(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** Removes a connection and every membership it has; answers how many groups it left. Running it twice is harmless. */
    public int closed(ConnectionId connection) {
        return closed(connection, Optional.empty());
    }

    /** As {@link #closed(ConnectionId)}, put as a {@code Disconnected} event of {@code user} when known. */
    public int closed(ConnectionId connection, Optional<UserId> user) {
        int left = store.disconnect(connection);
        events.put(LifecycleEvent.disconnected(connection, user, "disconnect", clock.instant()));
        return left;
    }

    /** The store's read path on a partition no one writes (SnapStart priming). */
    public void prime(GroupName group) {
        store.prime(group, clock.instant());
    }
}
