package io.groupcast.core.delivery;

import java.util.Iterator;

/** Delivers one payload to many connections and prunes the ones that are gone. */
public interface Fanout {
    /** Posts each delivery {@code deliveries} yields (a recipient and its frame), within {@code budget}. */
    FanoutResult send(Iterator<Delivery> deliveries, Budget budget);

    /** Runs the per-post code paths once without sending anything (see {@link Connections#prime}). */
    default void prime() {}
}
