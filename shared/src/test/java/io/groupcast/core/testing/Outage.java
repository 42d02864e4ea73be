package io.groupcast.core.testing;

import io.groupcast.core.store.StoreUnavailableException;

/** A switch the in-memory stores share: while it is on, every call fails as DynamoDB being unreachable. */
public final class Outage {
    private volatile boolean down;

    /** Makes every call fail with {@link StoreUnavailableException} (or work again). */
    public void down(boolean down) {
        this.down = down;
    }

    /** Fails when the store is down. */
    void check() {
        if (down) {
            throw new StoreUnavailableException("store is down (test)", new RuntimeException("down"));
        }
    }
}
