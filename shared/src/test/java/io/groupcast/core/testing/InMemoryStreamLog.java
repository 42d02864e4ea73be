package io.groupcast.core.testing;

import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.UserId;
import io.groupcast.core.store.StreamLog;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/** A {@link StreamLog} in memory (it never deletes what expired: reads see it, as DynamoDB's may). */
public final class InMemoryStreamLog implements StreamLog {
    private final Map<GroupName, Head> heads = new HashMap<>();
    private final Map<GroupName, String> lastRequest = new HashMap<>();
    private final Map<GroupName, NavigableMap<Long, Kept>> kept = new HashMap<>();
    private final Map<String, Map<ConnectionId, Record>> since = new HashMap<>();
    private final Outage outage;

    public InMemoryStreamLog(Outage outage) {
        this.outage = outage;
    }

    /** Forgets every stream, as a store that lost its data: numbering starts again in new epochs. */
    public synchronized void wipe() {
        heads.clear();
        lastRequest.clear();
        kept.clear();
        since.clear();
    }

    @Override
    public synchronized Head head(GroupName stream, Instant now) {
        outage.check();
        return heads.getOrDefault(stream, Head.NONE);
    }

    @Override
    public synchronized Taken nextSeq(GroupName stream, String request, Instant takenAt, Instant headExpiresAt) {
        outage.check();
        Head old = heads.getOrDefault(stream, Head.NONE);
        if (request.equals(lastRequest.get(stream))) {
            return new Taken(old.seq(), previous.getOrDefault(stream, Instant.EPOCH), old.epoch());
        }
        String epoch = old.epoch().isEmpty() ? UUID.randomUUID().toString().substring(0, 8) : old.epoch();
        heads.put(stream, new Head(old.seq() + 1, takenAt, epoch));
        previous.put(stream, old.takenAt());
        lastRequest.put(stream, request);
        return new Taken(old.seq() + 1, old.takenAt(), epoch);
    }

    private final Map<GroupName, Instant> previous = new HashMap<>();

    @Override
    public synchronized void keep(GroupName stream, Kept message, Instant expiresAt) {
        outage.check();
        kept.computeIfAbsent(stream, s -> new TreeMap<>())
                .put(
                        message.seq(),
                        new Kept(
                                message.seq(),
                                message.frame(),
                                message.previousTakenAt(),
                                message.except(),
                                expiresAt));
    }

    @Override
    public synchronized List<Kept> kept(GroupName stream, long after, int limit, Instant now) {
        outage.check();
        return kept.getOrDefault(stream, new TreeMap<>()).tailMap(after, false).values().stream()
                .limit(limit)
                .toList();
    }

    @Override
    public synchronized Optional<Kept> first(GroupName stream, long from) {
        outage.check();
        return Optional.ofNullable(kept.getOrDefault(stream, new TreeMap<>()).ceilingEntry(from))
                .map(Map.Entry::getValue);
    }

    @Override
    public synchronized List<Since> since(UserId user, GroupName stream, Instant now) {
        outage.check();
        return since.getOrDefault(user.value() + "|" + stream.value(), Map.of()).values().stream()
                .filter(record -> record.until().getEpochSecond() > now.getEpochSecond())
                .limit(MAX_SINCE)
                .map(Record::since)
                .toList();
    }

    @Override
    public synchronized void since(
            UserId user, GroupName stream, ConnectionId connection, Since from, Instant now, Instant expiresAt) {
        outage.check();
        Map<ConnectionId, Record> records =
                since.computeIfAbsent(user.value() + "|" + stream.value(), k -> new HashMap<>());
        Record old = records.get(connection);
        boolean keepOld = old != null
                && old.until().getEpochSecond() > now.getEpochSecond()
                && !(old.since().epoch().equals(from.epoch()) && old.since().seq() > from.seq());
        Instant until = old != null && keepOld && old.until().isAfter(expiresAt) ? old.until() : expiresAt;
        records.put(connection, new Record(keepOld ? old.since() : from, until));
    }

    @Override
    public synchronized void forget(UserId user, GroupName stream, ConnectionId connection) {
        outage.check();
        since.getOrDefault(user.value() + "|" + stream.value(), new HashMap<>()).remove(connection);
    }

    @Override
    public synchronized void forget(UserId user, GroupName stream) {
        outage.check();
        since.remove(user.value() + "|" + stream.value());
    }

    private record Record(Since since, Instant until) {}
}
