package io.groupcast.core.handlers;

import java.time.Duration;

/** The application's event handler: given one JSON input, it answers one JSON reply (see docs/handlers.md). */
@FunctionalInterface
public interface EventHandler {
    /**
     * The handler's reply to {@code input}, as it answered it, within {@code timeout}; throws
     * {@link HandlerTimeoutException} when it did not answer in time and {@link HandlerFailedException} when it failed
     * or could not be reached.
     */
    String call(byte[] input, Duration timeout);
}
