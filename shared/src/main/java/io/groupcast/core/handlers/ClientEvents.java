package io.groupcast.core.handlers;

import com.fasterxml.jackson.databind.node.NullNode;
import io.groupcast.core.delivery.Budget;
import io.groupcast.core.events.LifecycleEvent;
import io.groupcast.core.events.LifecycleEvents;
import io.groupcast.core.model.Connection;
import io.groupcast.core.model.ErrorCode;
import io.groupcast.core.model.RequestException;
import io.groupcast.core.protocol.ClientFrame;
import io.groupcast.core.protocol.ServerFrame;
import io.groupcast.core.store.Counters;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Carries a client's event frame to the application's handler and its reply back: the reply's data in the ack, its
 * refusal as an error frame with its own code, {@code handler_timeout} or {@code handler_failed} (no internals) when
 * it does not answer in time or fails. Rate-limited per connection as sends are; the handler is called only when the
 * frame is allowed. A handler that is down costs each event at most its timeout and touches nothing else.
 *
 * @param handler the application's handler; none refuses event frames with {@code no_event_handler}, unless
 *     {@code bus} takes them
 * @param bus     without a handler, where event frames go as {@code ClientEvent}s, acked with {@code null} data
 */
public record ClientEvents(
        Optional<EventHandler> handler, Counters counters, HandlerSettings settings, Clock clock, LifecycleEvents bus) {
    /** The time kept from a handler call to post the answer before the function's own time limit. */
    public static final Duration RESERVE = Duration.ofSeconds(1);

    /** Client events to {@code handler}, put nowhere else. */
    public ClientEvents(Optional<EventHandler> handler, Counters counters, HandlerSettings settings, Clock clock) {
        this(handler, counters, settings, clock, LifecycleEvents.NONE);
    }

    /** No handler: event frames are refused. */
    public static ClientEvents none(Counters counters, Clock clock) {
        return new ClientEvents(Optional.empty(), counters, HandlerSettings.DEFAULTS, clock);
    }

    /** What an event came to: the frame the client gets and, when the handler failed, why (for the logs only). */
    public record Handled(ServerFrame frame, Optional<String> failure) {}

    /**
     * Calls the handler with {@code event} from {@code connection}, within the handler timeout and what is left of
     * {@code budget}; a client's mistake (no handler, over the rate) is a {@link RequestException} that calls nothing.
     */
    public Handled handle(Connection connection, ClientFrame.Event event, Budget budget) {
        if (handler.isEmpty() && !bus.enabled()) {
            throw new RequestException(
                    ErrorCode.NO_EVENT_HANDLER,
                    "this stack has no event handler for event frames (EventHandlerFunctionArn is empty)");
        }
        Instant now = clock.instant();
        if (counters.count(connection.id(), "events", now.getEpochSecond(), connection.expiresAt())
                > settings.maxPerSecond()) {
            throw new RequestException(
                    ErrorCode.RATE_LIMITED,
                    "this connection may send at most " + settings.maxPerSecond() + " events a second; wait a moment");
        }
        if (handler.isEmpty()) {
            bus.put(LifecycleEvent.clientEvent(connection, event.event(), event.data(), now));
            return new Handled(new ServerFrame.EventReply(NullNode.getInstance(), event.ackId()), Optional.empty());
        }
        long left = budget.remainingMillis() - RESERVE.toMillis();
        Duration timeout = left < settings.timeout().toMillis() ? Duration.ofMillis(left) : settings.timeout();
        try {
            if (left < 1) {
                throw new HandlerTimeoutException("no time left for the handler", null);
            }
            byte[] input = HandlerProtocol.input(HandlerProtocol.EVENT, event.event(), connection, event.data());
            HandlerReply reply = HandlerProtocol.reply(handler.get().call(input, timeout));
            if (reply instanceof HandlerReply.Refusal refusal) {
                return new Handled(
                        new ServerFrame.Refused(refusal.code(), refusal.message(), event.ackId()), Optional.empty());
            }
            return new Handled(
                    new ServerFrame.EventReply(((HandlerReply.Data) reply).data(), event.ackId()), Optional.empty());
        } catch (HandlerTimeoutException e) {
            return new Handled(
                    new ServerFrame.Error(
                            ErrorCode.HANDLER_TIMEOUT,
                            "the event handler did not answer within " + Math.max(0, timeout.toMillis()) + " ms",
                            event.ackId()),
                    Optional.of(e.getMessage()));
        } catch (RuntimeException e) {
            // HandlerFailedException, or an adapter's bug: either way the client learns only that the handler failed
            return new Handled(
                    new ServerFrame.Error(
                            ErrorCode.HANDLER_FAILED,
                            "the event handler failed; the stack's logs say why",
                            event.ackId()),
                    Optional.of(String.valueOf(e.getMessage())));
        }
    }
}
