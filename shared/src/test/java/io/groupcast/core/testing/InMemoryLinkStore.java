package io.groupcast.core.testing;

import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.UserId;
import io.groupcast.core.store.LinkStore;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link LinkStore} in memory. */
public final class InMemoryLinkStore implements LinkStore {
    private final Map<UserId, Map<GroupName, Instant>> links = new ConcurrentHashMap<>();
    private final Outage outage;

    public InMemoryLinkStore(Outage outage) {
        this.outage = outage;
    }

    @Override
    public void link(UserId user, GroupName group, Instant expiresAt) {
        outage.check();
        links.computeIfAbsent(user, u -> new ConcurrentHashMap<>()).put(group, expiresAt);
    }

    @Override
    public void unlink(UserId user, GroupName group) {
        outage.check();
        links.getOrDefault(user, new ConcurrentHashMap<>()).remove(group);
    }

    @Override
    public Map<GroupName, Instant> links(UserId user, Instant now) {
        outage.check();
        Map<GroupName, Instant> live = new TreeMap<>(Comparator.comparing(GroupName::value));
        links.getOrDefault(user, Map.of()).forEach((group, expires) -> {
            if (expires.isAfter(now)) {
                live.put(group, expires);
            }
        });
        return live;
    }
}
