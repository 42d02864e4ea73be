package io.groupcast.functions;

import io.groupcast.core.config.Environment;
import io.groupcast.core.config.Settings;
import io.groupcast.core.handlers.ClientEvents;

/**
 * The server-side handlers' parts of one {@link Wiring}, each built on first use: client events to the handler of
 * {@code EVENT_HANDLER_URL} or {@code EVENT_HANDLER_FUNCTION_ARN} (docs/handlers.md).
 */
public final class EventParts {
    private final Wiring wiring;
    private final Environment env;

    EventParts(Wiring wiring, Environment env) {
        this.wiring = wiring;
        this.env = env;
    }

    /** Client events, with {@code EVENT_HANDLER_TIMEOUT_SECONDS} and {@code MAX_PUBLISHES_PER_SECOND}. */
    public ClientEvents clientEvents() {
        return wiring.part(
                ClientEvents.class,
                () -> new ClientEvents(
                        wiring.clients().eventHandler(), wiring.counters(), Settings.handlers(env), wiring.clock()));
    }
}
