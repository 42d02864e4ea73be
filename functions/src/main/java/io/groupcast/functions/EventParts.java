package io.groupcast.functions;

import io.groupcast.core.config.Environment;
import io.groupcast.core.config.Settings;
import io.groupcast.core.handlers.ClientEvents;
import io.groupcast.core.handlers.ConnectHook;
import io.groupcast.core.handlers.EventHandler;
import io.groupcast.core.handlers.HandlerSettings;
import java.util.Optional;

/**
 * The server-side handlers' parts of one {@link Wiring}, each built on first use: client events and the connect hook,
 * to the handler of {@code EVENT_HANDLER_URL} or {@code EVENT_HANDLER_FUNCTION_ARN} (docs/handlers.md).
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
            return settings.connectHook() ? new ConnectHook(handler(), wiring.grants(), settings) : ConnectHook.NONE;
        });
    }

    /** Client events, with {@code EVENT_HANDLER_TIMEOUT_SECONDS} and {@code MAX_PUBLISHES_PER_SECOND}. */
    public ClientEvents clientEvents() {
        return wiring.part(
                ClientEvents.class,
                () -> new ClientEvents(handler(), wiring.counters(), Settings.handlers(env), wiring.clock()));
    }

    /** The handler, when the stack names one; the AWS clients are built only then. */
    private Optional<EventHandler> handler() {
        boolean named = env.optional("EVENT_HANDLER_URL").isPresent()
                || env.optional("EVENT_HANDLER_FUNCTION_ARN").isPresent();
        return named ? wiring.clients().eventHandler() : Optional.empty();
    }
}
