package io.groupcast.functions;

import io.groupcast.core.model.GroupName;
import io.groupcast.functions.edge.Log;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * SnapStart priming: before Lambda snapshots an initialized function, run its hot paths once (JSON, the SDK's
 * marshalling and unmarshalling, signing, the HTTP client) so that restored instances start with those classes
 * loaded and initialized. Priming never writes and never posts: it reads a partition no one uses, verifies a forged
 * token, signs a post it drops. On a JVM without CRaC (tests, the local gateway) registering does nothing.
 */
public final class Priming implements Resource {
    /** A group partition that is only ever read, never written. */
    public static final GroupName GROUP = GroupName.of("groupcast:priming");

    /** org.crac holds resources weakly; these keep them alive with the handlers. */
    private static final List<Priming> REGISTERED = new CopyOnWriteArrayList<>();

    private final String function;
    private final Runnable prime;
    private final Runnable restored;

    private Priming(String function, Runnable prime, Runnable restored) {
        this.function = function;
        this.prime = prime;
        this.restored = restored;
    }

    /** Runs {@code prime} before each checkpoint of this process. */
    static void register(String function, Runnable prime) {
        register(function, prime, () -> {});
    }

    /** Runs {@code prime} before each checkpoint of this process, and {@code restored} after each restore. */
    static void register(String function, Runnable prime, Runnable restored) {
        Priming priming = new Priming(function, prime, restored);
        REGISTERED.add(priming);
        Core.getGlobalContext().register(priming);
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        try {
            prime.run();
            Log.info(null, "primed before snapshot", Map.of("function", function));
        } catch (RuntimeException e) {
            // a snapshot without priming is slower to warm up, not wrong
            Log.error(null, "priming failed; the snapshot is taken unprimed", e, Map.of("function", function));
        }
    }

    /**
     * Refreshes what a snapshot may hold stale (the authorizer's secrets: a rotation since the snapshot was taken).
     * No network connection was opened by priming, and credentials come from the environment.
     */
    @Override
    public void afterRestore(Context<? extends Resource> context) {
        try {
            restored.run();
        } catch (RuntimeException e) {
            Log.error(null, "refreshing after restore failed", e, Map.of("function", function));
        }
    }

    /** Runs every registered restore action, as a SnapStart restore would (tests). */
    static void restoreAll() {
        REGISTERED.forEach(priming -> priming.afterRestore(null));
    }

    static int registered() {
        return REGISTERED.size();
    }
}
