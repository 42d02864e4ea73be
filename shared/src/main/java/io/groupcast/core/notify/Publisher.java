package io.groupcast.core.notify;

import com.fasterxml.jackson.databind.JsonNode;
import io.groupcast.core.delivery.Budget;
import io.groupcast.core.delivery.Delivery;
import io.groupcast.core.delivery.Fanout;
import io.groupcast.core.delivery.FanoutResult;
import io.groupcast.core.model.ApiGatewayLimits;
import io.groupcast.core.model.Connection;
import io.groupcast.core.model.ErrorCode;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.Json;
import io.groupcast.core.model.RequestException;
import io.groupcast.core.protocol.MessageFrames;
import io.groupcast.core.store.Counters;
import io.groupcast.core.store.MembershipStore;
import io.groupcast.core.streams.Streams;
import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.UUID;

/**
 * Publishes a client's message to a group through the same fan-out as the server's notifies, within a per-connection
 * rate limit. Recipients get {@code {"type":"message","from":"group","group":G,"fromUserId":U,"data":D}}, a shape
 * no server message can be mistaken for.
 *
 * @param maxPerSecond publishes one connection may make per second; more are refused with {@code rate_limited}
 */
public record Publisher(
        MembershipStore store, Counters counters, Fanout fanout, Streams streams, int maxPerSecond, Clock clock) {
    /** The default of {@code MAX_PUBLISHES_PER_SECOND}. */
    public static final int DEFAULT_MAX_PER_SECOND = 10;

    /**
     * Sends {@code data} from {@code sender} to {@code group}'s live members (the sender's own connection too,
     * unless {@code noEcho}), within {@code budget}. The caller has checked the sender's permission. A message too
     * large for API Gateway, or one over the rate limit, is refused before anything is sent.
     */
    public FanoutResult publish(Connection sender, GroupName group, JsonNode data, boolean noEcho, Budget budget) {
        MessageFrames frames = MessageFrames.fromGroup(group, sender.user(), Json.bytes(data));
        int size = frames.largest();
        if (size + MessageFrames.ENVELOPE_ALLOWANCE > ApiGatewayLimits.MESSAGE_BYTES) {
            throw new RequestException(
                    ErrorCode.MESSAGE_TOO_LARGE,
                    "the message would be " + size + " bytes with its envelope; API Gateway delivers at "
                            + "most " + ApiGatewayLimits.MESSAGE_BYTES + ", and a reliable frame needs "
                            + MessageFrames.ENVELOPE_ALLOWANCE + " of them");
        }
        Instant now = clock.instant();
        long sent = counters.countPublish(sender.id(), now.getEpochSecond(), sender.expiresAt());
        if (sent > maxPerSecond) {
            throw new RequestException(
                    ErrorCode.RATE_LIMITED,
                    "this connection may send at most " + maxPerSecond + " messages a second; wait a moment");
        }
        MessageFrames streamed =
                streams.publish(group, frames, UUID.randomUUID().toString());
        Iterator<Delivery> deliveries = store.recipients(group, now)
                .filter(member -> !(noEcho && member.id().equals(sender.id())))
                .map(member -> new Delivery(member, streamed))
                .iterator();
        return fanout.send(deliveries, budget);
    }
}
