package io.groupcast.core.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.ErrorCode;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.UserId;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/** A frame the server sends a client other than a message: written by {@link ServerFrames#write}. */
public sealed interface ServerFrame {
    /**
     * {@code {"type":"ack","action":A,"group":G,"ackId":N}}: the frame was done ({@code duplicate}: a {@code send}
     * repeated with an ackId already answered, published once).
     */
    record Ack(String action, Optional<GroupName> group, OptionalLong ackId, boolean duplicate) implements ServerFrame {
        /** An ack of {@code frame}. */
        public static Ack of(ClientFrame frame, Optional<GroupName> group) {
            return new Ack(frame.action(), group, frame.ackId(), false);
        }
    }

    /** {@code {"type":"error","error":code,"message":sentence,"ackId":N}}: the frame was refused, nothing changed. */
    record Error(ErrorCode code, String message, OptionalLong ackId) implements ServerFrame {
        public Error {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
        }
    }

    /** {@code {"type":"ack","action":"event","ackId":N,"data":R}}: the event handler's reply to a client event. */
    record EventReply(JsonNode data, OptionalLong ackId) implements ServerFrame {
        public EventReply {
            Objects.requireNonNull(data, "data");
        }
    }

    /**
     * {@code {"type":"error","error":code,"message":M,"ackId":N}}: the event handler refused a client event with its
     * own code and message.
     */
    record Refused(String code, String message, OptionalLong ackId) implements ServerFrame {
        public Refused {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * {@code {"type":"pong"}}: the answer to a ping. It echoes no {@code ackId}: on AWS, API Gateway answers pings
     * itself with a fixed frame (the template's MOCK route), and this one is the same.
     */
    record Pong() implements ServerFrame {}

    /** {@code {"type":"whoami","connectionId":C,"userId":U,"groups":[...]}}. */
    record Whoami(ConnectionId connectionId, UserId userId, List<GroupName> groups, OptionalLong ackId)
            implements ServerFrame {
        public Whoami {
            groups = List.copyOf(groups);
        }
    }

    /**
     * {@code {"type":"resumed","heads":{stream:head},"epochs":{stream:epoch},"more":true,"ignored":[...]}}: the end of
     * a resume, with each stream's head and epoch; {@code more} when the replay stopped at its limit (ask again),
     * {@code ignored} the streams named that the connection is not in.
     */
    record Resumed(
            Map<GroupName, Long> heads,
            Map<GroupName, String> epochs,
            boolean more,
            List<GroupName> ignored,
            OptionalLong ackId)
            implements ServerFrame {
        public Resumed {
            heads = Map.copyOf(heads);
            epochs = Map.copyOf(epochs);
            ignored = List.copyOf(ignored);
        }
    }

    /**
     * {@code {"type":"gap","stream":S,"epoch":E,"from":A,"to":B}}: the messages numbered A to B of epoch E can no
     * longer be sent (expired, or lost); {@code to} is absent when everything after A in that epoch is gone (the
     * stream started a new epoch).
     */
    record Gap(GroupName stream, String epoch, long from, OptionalLong to) implements ServerFrame {}

    /**
     * {@code {"type":"skip","stream":S,"epoch":E,"seq":N}}: message N of the stream is not for this connection (it
     * was excluded); do not wait for it.
     */
    record Skip(GroupName stream, String epoch, long seq) implements ServerFrame {}

    /**
     * {@code {"type":"replay","stream":S,"frames":[...]}}: replayed message, skip and gap frames of one stream, in
     * order, as many as fit in one 32 KB frame (API Gateway's unit of billing); sent to {@code groupcast.reliable.v1}
     * connections, which unpack it.
     */
    record Replay(GroupName stream, List<byte[]> frames) implements ServerFrame {
        public Replay {
            frames = List.copyOf(frames);
        }
    }
}
