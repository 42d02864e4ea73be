package io.groupcast.core.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import io.groupcast.core.model.GroupName;
import java.util.List;
import java.util.Objects;

/** What the event handler answered, read by {@link HandlerProtocol}. */
public sealed interface HandlerReply {
    /** {@code {"data":R}}: the reply the client gets in its ack. */
    record Data(JsonNode data) implements HandlerReply {
        public Data {
            Objects.requireNonNull(data, "data");
        }
    }

    /** {@code {"error":{"code":C,"message":M}}}: the client gets an error frame with this code and message. */
    record Refusal(String code, String message) implements HandlerReply {
        public Refusal {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
        }
    }

    /** {@code {"allow":true,"roles":[...],"groups":[...]}}: the connect hook lets the connection in. */
    record Allow(List<String> roles, List<GroupName> groups) implements HandlerReply {
        /** Let in as it is. */
        public static final Allow AS_IS = new Allow(List.of(), List.of());

        public Allow {
            roles = List.copyOf(roles);
            groups = List.copyOf(groups);
        }
    }

    /** {@code {"allow":false,"status":403,"reason":M}}: the connect hook refuses the connection. */
    record Deny(int status, String reason) implements HandlerReply {
        public Deny {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
