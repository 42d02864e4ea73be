package io.groupcast.functions;

import io.groupcast.core.config.ConfigurationException;
import io.groupcast.core.config.Environment;
import io.groupcast.core.config.Settings;
import io.groupcast.core.events.LifecycleEvents;
import io.groupcast.core.handlers.ClientEvents;
import io.groupcast.core.handlers.ConnectHook;
import io.groupcast.core.handlers.EventHandler;
import io.groupcast.core.handlers.HandlerSettings;
import io.groupcast.functions.edge.Log;
import io.groupcast.functions.edge.Metrics;
import java.util.Map;
import java.util.Optional;

/**
 * The server-side handlers' parts of one {@link Wiring}, each built on first use: client events and the connect hook,
 * to the handler of {@code EVENT_HANDLER_URL} or {@code EVENT_HANDLER_FUNCTION_ARN}, and lifecycle events to the bus
 * of {@code EVENT_BUS_NAME} (docs/handlers.md).
 */
public final class EventParts {
    private final Wiring wiring;
    private final Environment env;

    EventParts(Wiring wiring, Environment env) {
        this.wiring = wiring;
        this.env = env;
    }

    /** The connect hook of {@code CONNECT_HOOK} and {@code CONNECT_HOOK_ON_FAILURE}; grants on {@code TABLE_NAME}. */
    public ConnectHook connectHook() {
        return wiring.part(ConnectHook.class, () -> {
            HandlerSettings settings = Settings.handlers(env);
            if (settings.connectHook() && handler().isEmpty()) {
                // a hook that decides who may connect must not be off without a word
                throw new ConfigurationException("CONNECT_HOOK is Enabled, but neither EVENT_HANDLER_FUNCTION_ARN nor"
                        + " EVENT_HANDLER_URL names the handler to ask");
            }
            return settings.connectHook() ? new ConnectHook(handler(), wiring.grants(), settings) : ConnectHook.NONE;
        });
    }

    /** Client events, with {@code EVENT_HANDLER_TIMEOUT_SECONDS} and {@code MAX_PUBLISHES_PER_SECOND}. */
    public ClientEvents clientEvents() {
        return wiring.part(
                ClientEvents.class,
                () -> new ClientEvents(
                        handler(), wiring.counters(), Settings.handlers(env), wiring.clock(), lifecycleEvents()));
    }

    /**
     * Lifecycle events to {@code EVENT_BUS_NAME}: none without it (and then no AWS client is built); events that
     * cannot be put are logged and counted in {@code EventsFailed}.
     */
    public LifecycleEvents lifecycleEvents() {
        return wiring.part(
                LifecycleEvents.class,
                () -> env.optional("EVENT_BUS_NAME").isPresent()
                        ? wiring.clients().lifecycleEvents(EventParts::lost)
                        : LifecycleEvents.NONE);
    }

    /** Events that could not be put: a WARN line and the {@code EventsFailed} metric. */
    public static void lost(int events) {
        Log.warn(null, "lifecycle events could not be put to EventBridge", Map.of("events", events));
        Metrics.count(null, Map.of(Metrics.EVENTS_FAILED, events));
    }

    /** The handler, when the stack names one; the AWS clients are built only then. */
    private Optional<EventHandler> handler() {
        boolean named = env.optional("EVENT_HANDLER_URL").isPresent()
                || env.optional("EVENT_HANDLER_FUNCTION_ARN").isPresent();
        return named ? wiring.clients().eventHandler() : Optional.empty();
    }
}
