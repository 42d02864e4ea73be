package io.groupcast.core.testing;

import io.groupcast.core.model.GroupName;
import io.groupcast.core.store.StreamLog;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/** A {@link StreamLog} in memory. */
public final class InMemoryStreamLog implements StreamLog {
    private final Map<GroupName, Head> heads = new ConcurrentHashMap<>();
    private final Map<GroupName, NavigableMap<Long, Kept>> kept = new ConcurrentHashMap<>();
    private final Map<GroupName, Map<Long, Instant>> keptUntil = new ConcurrentHashMap<>();
    private final Outage outage;

    public InMemoryStreamLog(Outage outage) {
        this.outage = outage;
    }

    @Override
    public synchronized Taken nextSeq(GroupName stream, Instant takenAt, Instant headExpiresAt) {
        outage.check();
        Head old = heads.getOrDefault(stream, Head.NONE);
        heads.put(stream, new Head(old.seq() + 1, takenAt));
        return new Taken(old.seq() + 1, old.takenAt());
    }

    @Override
    public Head head(GroupName stream, Instant now) {
        outage.check();
        return heads.getOrDefault(stream, Head.NONE);
    }

    @Override
    public void keep(GroupName stream, long seq, byte[] frame, Instant previousTakenAt, Instant expiresAt) {
        outage.check();
        kept.computeIfAbsent(stream, s -> new ConcurrentSkipListMap<>())
                .put(seq, new Kept(seq, frame, previousTakenAt));
        keptUntil.computeIfAbsent(stream, s -> new ConcurrentHashMap<>()).put(seq, expiresAt);
    }

    @Override
    public List<Kept> kept(GroupName stream, long after, int limit, Instant now) {
        outage.check();
        Map<Long, Instant> until = keptUntil.getOrDefault(stream, Map.of());
        return kept.getOrDefault(stream, new ConcurrentSkipListMap<>()).tailMap(after, false).values().stream()
                .filter(message -> until.get(message.seq()).isAfter(now))
                .limit(limit)
                .toList();
    }
}
