package io.groupcast.core.notify;

import com.fasterxml.jackson.databind.JsonNode;
import io.groupcast.core.delivery.Budget;
import io.groupcast.core.delivery.Delivery;
import io.groupcast.core.delivery.Fanout;
import io.groupcast.core.delivery.FanoutResult;
import io.groupcast.core.model.ApiGatewayLimits;
import io.groupcast.core.model.Connection;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.ErrorCode;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.Json;
import io.groupcast.core.model.RequestException;
import io.groupcast.core.protocol.MessageFrames;
import io.groupcast.core.store.Counters;
import io.groupcast.core.store.IdempotencyStore;
import io.groupcast.core.store.MembershipStore;
import io.groupcast.core.streams.Streams;
import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;

/**
 * Publishes a client's message to a group through the same fan-out as the server's notifies, within a per-connection
 * and a per-user rate limit. Recipients get {@code {"type":"message","from":"group","group":G,"fromUserId":U,"data":D}}, a shape
 * no server message can be mistaken for.
 *
 * @param limits publishes one connection, and one user over all of its connections, may make per second; more are
 *     refused with {@code rate_limited}
 */
public record Publisher(
        MembershipStore store,
        Counters counters,
        Fanout fanout,
        Streams streams,
        Idempotency idempotency,
        Limits limits,
        Clock clock) {
    /** The default of {@code MAX_PUBLISHES_PER_SECOND}. */
    public static final int DEFAULT_MAX_PER_SECOND = 10;
    /** The default of {@code MAX_PUBLISHES_PER_SECOND_PER_USER}. */
    public static final int DEFAULT_MAX_PER_USER = 20;

    /** Publishes per second: by one connection, by one user over all of its connections. */
    public record Limits(int perConnection, int perUser) {}

    /** What a publish came to: its fan-out, or nothing when it repeated an ackId already answered. */
    public record Published(FanoutResult delivery, boolean duplicate) {
        static final Published DUPLICATE = new Published(FanoutResult.NONE, true);
    }

    /**
     * Sends {@code data} from {@code sender} to {@code group}'s live members (the sender's own connection too,
     * unless {@code noEcho}), within {@code budget}. The caller has checked the sender's permission. A message too
     * large for API Gateway, or one over the rate limit, is refused before anything is sent. A publish with an
     * {@code ackId} the connection used within {@link Idempotency#SEND_WINDOW} is published once: a repeat (a retry
     * after a lost ack) sends nothing and is a duplicate.
     */
    public Published publish(
            Connection sender, GroupName group, JsonNode data, boolean noEcho, OptionalLong ackId, Budget budget) {
        MessageFrames frames = MessageFrames.fromGroup(group, sender.user(), Json.bytes(data));
        int size = frames.largest();
        if (size + MessageFrames.ENVELOPE_ALLOWANCE > ApiGatewayLimits.MESSAGE_BYTES) {
            throw new RequestException(
                    ErrorCode.MESSAGE_TOO_LARGE,
                    "the message would be " + size + " bytes with its envelope; API Gateway delivers at "
                            + "most " + ApiGatewayLimits.MESSAGE_BYTES + ", and a reliable frame needs "
                            + MessageFrames.ENVELOPE_ALLOWANCE + " of them");
        }
        if (ackId.isEmpty()) {
            return new Published(
                    send(sender, group, frames, noEcho, UUID.randomUUID().toString(), budget), false);
        }
        String key = "send:" + sender.id().value() + ":" + ackId.getAsLong();
        IdempotencyStore.Claim claim = idempotency.claim(key, "", Idempotency.SEND_WINDOW, budget);
        if (claim.state() != IdempotencyStore.State.GRANTED) {
            return Published.DUPLICATE;
        }
        FanoutResult sent = idempotency.run(
                key, () -> send(sender, group, frames, noEcho, claim.messageId(), budget), result -> new byte[0]);
        return new Published(sent, false);
    }

    /** Counts the publish against the rate, puts it into the group's stream and fans it out. */
    private FanoutResult send(
            Connection sender, GroupName group, MessageFrames frames, boolean noEcho, String id, Budget budget) {
        Instant now = clock.instant();
        long second = now.getEpochSecond();
        if (counters.countPublish(sender.id(), second, sender.expiresAt()) > limits.perConnection()) {
            throw new RequestException(
                    ErrorCode.RATE_LIMITED,
                    "this connection may send at most " + limits.perConnection() + " messages a second; wait a moment");
        }
        if (counters.count(sender.user(), "rate", second, now.plusSeconds(60)) > limits.perUser()) {
            throw new RequestException(
                    ErrorCode.RATE_LIMITED,
                    "this user may send at most " + limits.perUser() + " messages a second over all of its "
                            + "connections; wait a moment");
        }
        Set<ConnectionId> except = noEcho ? Set.of(sender.id()) : Set.of();
        Streams.Pending streamed = streams.start(group, frames, new Streams.Message(id, except, false));
        Iterator<Delivery> deliveries = store.recipients(group, now, streamed::resumableUntil)
                .flatMap(member -> Delivery.unless(except, member, streamed.frames()).stream())
                .iterator();
        FanoutResult result = fanout.send(deliveries, budget);
        streamed.kept();
        return result;
    }
}
