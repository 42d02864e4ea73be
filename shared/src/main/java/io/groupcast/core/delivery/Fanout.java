package io.groupcast.core.delivery;

import io.groupcast.core.model.Recipient;
import java.util.Iterator;

/** Delivers one payload to many connections and prunes the ones that are gone. */
public interface Fanout {
    /** Posts each recipient {@code recipients} yields its protocol's frame of {@code frames}, within {@code budget}. */
    FanoutResult send(Iterator<Recipient> recipients, Frames frames, Budget budget);

    /** Runs the per-post code paths once without sending anything (see {@link Connections#prime}). */
    default void prime() {}
}
