package io.groupcast.core.testing;

import io.groupcast.core.model.Connection;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.Grant;
import io.groupcast.core.model.Grants;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.Protocol;
import io.groupcast.core.model.Recipient;
import io.groupcast.core.model.UserId;
import io.groupcast.core.store.MembershipStore;
import io.groupcast.core.store.StoreUnavailableException;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** A {@link MembershipStore} in memory, for unit tests of core logic; can be switched to failing. */
public final class InMemoryMembershipStore implements MembershipStore {
    private final Map<GroupName, Map<ConnectionId, Instant>> groups = new ConcurrentHashMap<>();
    private final Map<ConnectionId, Connection> connections = new ConcurrentHashMap<>();
    private final Map<UserId, Map<GroupName, Instant>> userLinks = new ConcurrentHashMap<>();
    private final Map<ConnectionId, Map<Grant, Instant>> granted = new ConcurrentHashMap<>();
    private final Map<ConnectionId, long[]> publishes = new ConcurrentHashMap<>();
    private final Map<ConnectionId, Protocol> protocols = new ConcurrentHashMap<>();
    private final Map<GroupName, Head> heads = new ConcurrentHashMap<>();
    private final Map<GroupName, Map<Long, Kept>> streams = new ConcurrentHashMap<>();
    private final Map<GroupName, Map<Long, Instant>> keptUntil = new ConcurrentHashMap<>();
    private volatile boolean down;

    /** Makes every call fail with {@link StoreUnavailableException} (or work again). */
    public void down(boolean down) {
        this.down = down;
    }

    @Override
    public void connect(Connection connection) {
        check();
        connections.put(connection.id(), connection);
        join(connection.recipient(), GroupName.ofUser(connection.user()), connection.expiresAt());
    }

    @Override
    public void join(Recipient connection, GroupName group, Instant expiresAt) {
        check();
        protocols.put(connection.id(), connection.protocol());
        groups.computeIfAbsent(group, g -> new ConcurrentHashMap<>()).put(connection.id(), expiresAt);
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
        connections.remove(connection);
        granted.remove(connection);
        publishes.remove(connection);
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
    public Stream<Recipient> recipients(GroupName group, Instant now) {
        check();
        return groups.getOrDefault(group, Map.of()).entrySet().stream()
                .filter(e -> e.getValue().isAfter(now))
                .map(Map.Entry::getKey)
                .sorted(Comparator.comparing(ConnectionId::value))
                .map(id -> new Recipient(id, protocols.getOrDefault(id, Protocol.PLAIN)));
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
    public void grant(ConnectionId connection, Grant grant, Instant expiresAt) {
        check();
        granted.computeIfAbsent(connection, c -> new ConcurrentHashMap<>()).put(grant, expiresAt);
    }

    @Override
    public long countPublish(ConnectionId connection, long window, Instant expiresAt) {
        check();
        long[] counter = publishes.computeIfAbsent(connection, c -> new long[] {window, 0});
        synchronized (counter) {
            if (counter[0] != window) {
                counter[0] = window;
                counter[1] = 0;
            }
            return ++counter[1];
        }
    }

    @Override
    public synchronized Taken nextSeq(GroupName stream, Instant takenAt, Instant headExpiresAt) {
        check();
        Head old = heads.getOrDefault(stream, Head.NONE);
        heads.put(stream, new Head(old.seq() + 1, takenAt));
        return new Taken(old.seq() + 1, old.takenAt());
    }

    @Override
    public Head head(GroupName stream, Instant now) {
        check();
        return heads.getOrDefault(stream, Head.NONE);
    }

    @Override
    public void keep(GroupName stream, long seq, byte[] frame, Instant previousTakenAt, Instant expiresAt) {
        check();
        streams.computeIfAbsent(stream, s -> new ConcurrentSkipListMap<>())
                .put(seq, new Kept(seq, frame, previousTakenAt));
        keptUntil.computeIfAbsent(stream, s -> new ConcurrentHashMap<>()).put(seq, expiresAt);
    }

    @Override
    public List<Kept> kept(GroupName stream, long after, int limit, Instant now) {
        check();
        Map<Long, Instant> until = keptUntil.getOrDefault(stream, Map.of());
        return streams.getOrDefault(stream, new ConcurrentSkipListMap<>()).values().stream()
                .filter(kept -> kept.seq() > after && until.get(kept.seq()).isAfter(now))
                .limit(limit)
                .toList();
    }

    @Override
    public Grants grants(ConnectionId connection, Instant now) {
        check();
        return new Grants(granted.getOrDefault(connection, Map.of()).entrySet().stream()
                .filter(e -> e.getValue().isAfter(now))
                .map(Map.Entry::getKey)
                .collect(Collectors.toSet()));
    }

    @Override
    public void revoke(ConnectionId connection, Grant grant) {
        check();
        granted.getOrDefault(connection, new ConcurrentHashMap<>()).remove(grant);
    }

    @Override
    public void link(UserId user, GroupName group, Instant expiresAt) {
        check();
        userLinks.computeIfAbsent(user, u -> new ConcurrentHashMap<>()).put(group, expiresAt);
    }

    @Override
    public Map<GroupName, Instant> links(UserId user, Instant now) {
        check();
        Map<GroupName, Instant> live = new TreeMap<>(Comparator.comparing(GroupName::value));
        userLinks.getOrDefault(user, Map.of()).forEach((group, expires) -> {
            if (expires.isAfter(now)) {
                live.put(group, expires);
            }
        });
        return live;
    }

    @Override
    public void unlink(UserId user, GroupName group) {
        check();
        userLinks.getOrDefault(user, new ConcurrentHashMap<>()).remove(group);
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
        if (down) {
            throw new StoreUnavailableException("store is down (test)", new RuntimeException("down"));
        }
    }
}
