package io.groupcast.core.testing;

/** An in-memory fake of every store port, all failing together while the store is switched down. */
public final class InMemoryStores {
    private final Outage outage = new Outage();
    private final InMemoryMembershipStore memberships = new InMemoryMembershipStore(outage);
    private final InMemoryLinkStore links = new InMemoryLinkStore(outage);
    private final InMemoryGrantStore grants = new InMemoryGrantStore(outage);
    private final InMemoryCounters counters = new InMemoryCounters(outage);
    private final InMemoryStreamLog streams = new InMemoryStreamLog(outage);
    private final InMemoryNotificationStore notifications = new InMemoryNotificationStore(outage);
    private final InMemoryPostBudget postBudget = new InMemoryPostBudget(outage);
    private final InMemoryIdempotencyStore idempotency = new InMemoryIdempotencyStore(outage);

    /** Makes every call of every store fail as DynamoDB being unreachable (or work again). */
    public void down(boolean down) {
        outage.down(down);
    }

    public InMemoryMembershipStore memberships() {
        return memberships;
    }

    public InMemoryLinkStore links() {
        return links;
    }

    public InMemoryGrantStore grants() {
        return grants;
    }

    public InMemoryCounters counters() {
        return counters;
    }

    public InMemoryStreamLog streams() {
        return streams;
    }

    public InMemoryNotificationStore notifications() {
        return notifications;
    }

    public InMemoryPostBudget postBudget() {
        return postBudget;
    }

    public InMemoryIdempotencyStore idempotency() {
        return idempotency;
    }
}
