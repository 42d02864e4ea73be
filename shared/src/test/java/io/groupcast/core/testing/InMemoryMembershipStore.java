package io.groupcast.core.testing;

import io.groupcast.core.model.Connection;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.Protocol;
import io.groupcast.core.model.Recipient;
import io.groupcast.core.model.UserId;
import io.groupcast.core.store.MembershipStore;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** A {@link MembershipStore} in memory, for unit tests of core logic; fails while its {@link Outage} is on. */
public final class InMemoryMembershipStore implements MembershipStore {
    private final Map<GroupName, Map<ConnectionId, Instant>> groups = new ConcurrentHashMap<>();
    private final Map<ConnectionId, Connection> connections = new ConcurrentHashMap<>();
    private final Map<ConnectionId, Protocol> protocols = new ConcurrentHashMap<>();
    private final Map<GroupName, Instant> resumable = new ConcurrentHashMap<>();
    private final Map<UserId, Map<Integer, Slot>> slots = new HashMap<>();
    private final Map<ConnectionId, Integer> slotOf = new ConcurrentHashMap<>();

    private final Outage outage;

    /** A store that is always up. */
    public InMemoryMembershipStore() {
        this(new Outage());
    }

    /** A store that fails while {@code outage} says the store is down. */
    public InMemoryMembershipStore(Outage outage) {
        this.outage = outage;
    }

    @Override
    public void connect(Opening opening) {
        check();
        Connection connection = opening.connection();
        connections.put(connection.id(), connection);
        join(connection.recipient(), GroupName.ofUser(connection.user()), connection.expiresAt());
        opening.joins().forEach((group, until) -> join(connection.recipient(), group, until));
        if (opening.slot() != NO_SLOT) {
            slotOf.put(connection.id(), opening.slot());
        }
    }

    @Override
    public synchronized Set<Integer> slots(UserId user, Instant now) {
        check();
        return slots.getOrDefault(user, Map.of()).entrySet().stream()
                .filter(e -> e.getValue().until().isAfter(now))
                .map(Map.Entry::getKey)
                .collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public synchronized boolean takeSlot(
            UserId user, int slot, ConnectionId connection, Instant expiresAt, Instant now) {
        check();
        Map<Integer, Slot> held = slots.computeIfAbsent(user, u -> new HashMap<>());
        Slot old = held.get(slot);
        if (old != null && old.until().isAfter(now) && !old.connection().equals(connection)) {
            return false;
        }
        held.put(slot, new Slot(connection, expiresAt));
        return true;
    }

    @Override
    public synchronized void abandon(Opening opening) {
        check();
        disconnect(opening.connection().id());
        Map<Integer, Slot> held = slots.getOrDefault(opening.connection().user(), new HashMap<>());
        Slot slot = held.get(opening.slot());
        if (slot != null && slot.connection().equals(opening.connection().id())) { // as the table: only its own
            held.remove(opening.slot());
        }
    }

    private record Slot(ConnectionId connection, Instant until) {}

    @Override
    public synchronized boolean join(Recipient connection, GroupName group, Instant expiresAt, int maxGroups) {
        check();
        Map<ConnectionId, Instant> members = groups.computeIfAbsent(group, g -> new ConcurrentHashMap<>());
        if (!members.containsKey(connection.id()) && !group.isUserGroup()) {
            long named = groups.entrySet().stream()
                    .filter(e -> !e.getKey().isUserGroup() && e.getValue().containsKey(connection.id()))
                    .count();
            if (named >= maxGroups) {
                return false;
            }
        }
        protocols.put(connection.id(), connection.protocol());
        members.put(connection.id(), expiresAt);
        return true;
    }

    @Override
    public void leave(ConnectionId connection, GroupName group) {
        check();
        Map<ConnectionId, Instant> members = groups.get(group);
        if (members != null) {
            members.remove(connection);
        }
    }

    @Override
    public int disconnect(ConnectionId connection) {
        check();
        int left = 0;
        for (Map<ConnectionId, Instant> members : groups.values()) {
            if (members.remove(connection) != null) {
                left++;
            }
        }
        Connection record = connections.remove(connection);
        Integer slot = slotOf.remove(connection);
        if (record != null && slot != null) {
            Map<Integer, Slot> held = slots.getOrDefault(record.user(), new HashMap<>());
            Slot holder = held.get(slot);
            if (holder != null && holder.connection().equals(connection)) {
                held.remove(slot);
            }
        }
        return left;
    }

    @Override
    public boolean prune(ConnectionId connection, Instant openedBefore) {
        check();
        Connection record = connections.get(connection);
        if (record != null && !record.connectedAt().isBefore(openedBefore)) {
            return false;
        }
        disconnect(connection);
        return true;
    }

    @Override
    public Stream<Recipient> recipients(GroupName group, Instant now, Consumer<Instant> resumableUntil) {
        check();
        Instant until = resumable.getOrDefault(group, Instant.EPOCH);
        resumableUntil.accept(until.isAfter(now) ? until : Instant.EPOCH);
        return groups.getOrDefault(group, Map.of()).entrySet().stream()
                .filter(e -> e.getValue().isAfter(now))
                .map(Map.Entry::getKey)
                .sorted(Comparator.comparing(ConnectionId::value))
                .map(id -> new Recipient(id, protocols.getOrDefault(id, Protocol.PLAIN)));
    }

    @Override
    public void resumable(GroupName group, Instant until) {
        check();
        resumable.merge(group, until, (a, b) -> a.isAfter(b) ? a : b);
    }

    @Override
    public Instant resumableUntil(GroupName group, Instant now) {
        check();
        Instant until = resumable.getOrDefault(group, Instant.EPOCH);
        return until.isAfter(now) ? until : Instant.EPOCH;
    }

    @Override
    public List<Recipient> recipientsBetween(GroupName group, String after, String before, int limit, Instant now) {
        return recipients(group, now)
                .filter(r -> r.id().value().compareTo(after) > 0
                        && (before.isEmpty() || r.id().value().compareTo(before) < 0))
                .limit(limit)
                .toList();
    }

    @Override
    public Set<GroupName> groupsOf(ConnectionId connection, Instant now) {
        check();
        return groups.entrySet().stream()
                .filter(e -> e.getValue().containsKey(connection)
                        && e.getValue().get(connection).isAfter(now))
                .map(Map.Entry::getKey)
                .collect(Collectors.toSet());
    }

    @Override
    public Optional<Connection> connection(ConnectionId connection, Instant now) {
        check();
        Connection record = connections.get(connection);
        return record != null && record.expiresAt().isAfter(now) ? Optional.of(record) : Optional.empty();
    }

    @Override
    public Page members(GroupName group, Instant now, int limit, Optional<String> after) {
        List<ConnectionId> all = members(group, now)
                .filter(id -> after.isEmpty() || id.value().compareTo(after.get()) > 0)
                .toList();
        List<ConnectionId> page = all.subList(0, Math.min(limit, all.size()));
        return new Page(
                page, all.size() > limit ? Optional.of(page.get(page.size() - 1).value()) : Optional.empty());
    }

    /** Every group the connection belongs to, expired or not. */
    public Set<GroupName> groupsOf(ConnectionId connection) {
        return groups.entrySet().stream()
                .filter(e -> e.getValue().containsKey(connection))
                .map(Map.Entry::getKey)
                .collect(Collectors.toSet());
    }

    private void check() {
        outage.check();
    }
}
