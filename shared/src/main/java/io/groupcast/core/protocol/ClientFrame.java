package io.groupcast.core.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.RequestException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A client's text frame, read once ({@link ClientFrames#read}): what it asks for, or why it cannot be done. Every
 * frame may carry {@code "ackId"}, a positive integer that the {@code ack} or {@code error} frame answering it echoes.
 */
public sealed interface ClientFrame {
    /** The frame's {@code ackId}; empty when it has none. */
    OptionalLong ackId();

    /** The action's name, as in frames: {@code join}, {@code send}; empty for a frame without a known one. */
    String action();

    /**
     * {@code {"action":"join","group":G,"rewind":N}}: join a named group, and with {@code rewind} (a number of messages,
     * or {@code rewindSeconds}) receive the last ones kept, as far back as that.
     */
    record Join(GroupName group, Rewind rewind, OptionalLong ackId) implements ClientFrame {
        /** A join without rewind. */
        public Join(GroupName group, OptionalLong ackId) {
            this(group, Rewind.NONE, ackId);
        }

        @Override
        public String action() {
            return "join";
        }
    }

    /** {@code {"action":"leave","group":G}}: leave a named group. */
    record Leave(GroupName group, OptionalLong ackId) implements ClientFrame {
        @Override
        public String action() {
            return "leave";
        }
    }

    /**
     * {@code {"action":"send","group":G,"data":D,"noEcho":false}}: publish to a group.
     *
     * @param data   any JSON, {@code null} included
     * @param noEcho whether the sending connection itself is left out
     */
    record Send(GroupName group, JsonNode data, boolean noEcho, OptionalLong ackId) implements ClientFrame {
        public Send {
            Objects.requireNonNull(data, "data");
        }

        @Override
        public String action() {
            return "send";
        }
    }

    /**
     * {@code {"action":"resume","streams":{"user:kevin":17,"room-42":null},"epochs":{"user:kevin":"3f2a9c01"},
     * "previous":["L0SM9cOFvHcCIhw="]}}: per stream, the last sequence number the client processed (in the epoch it
     * names), or none for a stream it has no history of (it learns the stream's head); {@code previous} names this
     * client's earlier connections, whose exclusions it keeps.
     */
    record Resume(
            Map<GroupName, OptionalLong> streams,
            Map<GroupName, String> epochs,
            List<ConnectionId> previous,
            OptionalLong ackId)
            implements ClientFrame {
        public Resume {
            streams = Map.copyOf(streams);
            epochs = Map.copyOf(epochs);
            previous = List.copyOf(previous);
        }

        /** A resume naming no epoch and no earlier connection. */
        public Resume(Map<GroupName, OptionalLong> streams, OptionalLong ackId) {
            this(streams, Map.of(), List.of(), ackId);
        }

        @Override
        public String action() {
            return "resume";
        }
    }

    /** {@code {"action":"ping"}}: the keep-alive, answered {@code {"type":"pong"}}. */
    record Ping(OptionalLong ackId) implements ClientFrame {
        @Override
        public String action() {
            return "ping";
        }
    }

    /** {@code {"action":"whoami"}}: answered with the connection's id, user and groups. */
    record Whoami(OptionalLong ackId) implements ClientFrame {
        @Override
        public String action() {
            return "whoami";
        }
    }

    /**
     * {@code {"action":"event","event":NAME,"data":D}}: a client event for the application's handler, whose reply
     * comes back in the ack.
     *
     * @param event the event's name ({@link io.groupcast.core.model.Names#EVENT})
     * @param data  any JSON, {@code null} when the frame has none
     */
    record Event(String event, JsonNode data, OptionalLong ackId) implements ClientFrame {
        public Event {
            Objects.requireNonNull(event, "event");
            Objects.requireNonNull(data, "data");
        }

        @Override
        public String action() {
            return "event";
        }
    }

    /** How far back a join asks to read: a number of messages, a number of seconds, or not at all. */
    record Rewind(int messages, int seconds) {
        /** No rewind. */
        public static final Rewind NONE = new Rewind(0, 0);

        /** Whether the join asks for messages sent before it. */
        public boolean any() {
            return messages > 0 || seconds > 0;
        }
    }

    /** A frame that cannot be done, and why: answered with an error frame, changing nothing. */
    record Invalid(RequestException reason, String action, OptionalLong ackId) implements ClientFrame {}
}
