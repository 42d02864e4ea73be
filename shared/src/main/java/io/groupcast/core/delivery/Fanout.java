package io.groupcast.core.delivery;

import io.groupcast.core.model.ConnectionId;
import java.util.Iterator;

/** Delivers one payload to many connections and prunes the ones that are gone. */
public interface Fanout {
    /** Posts {@code payload} to every connection {@code recipients} yields, within {@code budget}. */
    FanoutResult send(Iterator<ConnectionId> recipients, byte[] payload, Budget budget);

    /** Runs the per-post code paths once without sending anything (see {@link Connections#prime}). */
    default void prime() {}
}
