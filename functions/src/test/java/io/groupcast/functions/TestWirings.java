package io.groupcast.functions;

import io.groupcast.core.store.Counters;
import io.groupcast.core.store.GrantStore;
import io.groupcast.core.store.IdempotencyStore;
import io.groupcast.core.store.LinkStore;
import io.groupcast.core.store.MembershipStore;
import io.groupcast.core.store.StreamLog;
import io.groupcast.core.testing.InMemoryStores;
import io.groupcast.core.workers.NotificationStore;
import io.groupcast.core.workers.PostBudget;
import java.util.Map;

/** Wirings for handler tests: every store port an in-memory fake. */
public final class TestWirings {
    private TestWirings() {}

    /** A builder from {@code env} with every store port taken from {@code stores}. */
    public static WiringBuilder inMemory(Map<String, String> env, InMemoryStores stores) {
        return Wiring.builder(env)
                .with(MembershipStore.class, stores.memberships())
                .with(LinkStore.class, stores.links())
                .with(GrantStore.class, stores.grants())
                .with(Counters.class, stores.counters())
                .with(StreamLog.class, stores.streams())
                .with(NotificationStore.class, stores.notifications())
                .with(PostBudget.class, stores.postBudget())
                .with(IdempotencyStore.class, stores.idempotency());
    }
}
