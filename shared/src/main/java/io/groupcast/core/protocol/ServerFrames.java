package io.groupcast.core.protocol;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.Json;
import io.groupcast.core.model.UserId;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** Writes every frame the server sends clients: the one place their shapes are decided. */
public final class ServerFrames {
    private ServerFrames() {}

    /** A frame's compact JSON. */
    public static byte[] write(ServerFrame frame) {
        if (frame instanceof ServerFrame.Replay replay) {
            return replay(replay);
        }
        return Json.bytes(tree(frame));
    }

    /** A replay frame, its frames copied byte for byte: a message's data reaches the client exactly as sent. */
    private static byte[] replay(ServerFrame.Replay replay) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("{\"type\":\"replay\",\"stream\":"
                        + Json.quoted(replay.stream().value()) + ",\"frames\":[")
                .getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < replay.frames().size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(replay.frames().get(i));
        }
        out.writeBytes("]}".getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** A frame as a JSON tree (tests and logs read it). */
    public static ObjectNode tree(ServerFrame frame) {
        ObjectNode node = Json.object();
        OptionalLong ackId = OptionalLong.empty();
        if (frame instanceof ServerFrame.Ack ack) {
            node.put("type", "ack").put("action", ack.action());
            ack.group().ifPresent(group -> node.put("group", group.value()));
            ackId = ack.ackId();
        } else if (frame instanceof ServerFrame.Error error) {
            node.put("type", "error").put("error", error.code().code()).put("message", error.message());
            ackId = error.ackId();
        } else if (frame instanceof ServerFrame.EventReply reply) {
            node.put("type", "ack").put("action", "event");
            ackId = reply.ackId();
        } else if (frame instanceof ServerFrame.Refused refused) {
            node.put("type", "error").put("error", refused.code()).put("message", refused.message());
            ackId = refused.ackId();
        } else if (frame instanceof ServerFrame.Pong) {
            node.put("type", "pong");
        } else if (frame instanceof ServerFrame.Whoami whoami) {
            node.put("type", "whoami")
                    .put("connectionId", whoami.connectionId().value())
                    .put("userId", whoami.userId().value());
            whoami.groups().stream().map(GroupName::value).sorted().forEach(node.putArray("groups")::add);
            ackId = whoami.ackId();
        } else if (frame instanceof ServerFrame.Resumed resumed) {
            resumed(node, resumed);
            ackId = resumed.ackId();
        } else if (frame instanceof ServerFrame.Gap gap) {
            node.put("type", "gap").put("stream", gap.stream().value());
            if (!gap.epoch().isEmpty()) {
                node.put("epoch", gap.epoch());
            }
            node.put("from", gap.from());
            gap.to().ifPresent(to -> node.put("to", to));
        } else if (frame instanceof ServerFrame.Skip skip) {
            node.put("type", "skip")
                    .put("stream", skip.stream().value())
                    .put("epoch", skip.epoch())
                    .put("seq", skip.seq());
        } else if (frame instanceof ServerFrame.Replay replay) {
            node.put("type", "replay").put("stream", replay.stream().value());
            ArrayNode frames = node.putArray("frames");
            replay.frames().forEach(each -> frames.add(Json.parse(new String(each, StandardCharsets.UTF_8))));
        }
        ackId.ifPresent(id -> node.put("ackId", id));
        if (frame instanceof ServerFrame.EventReply reply) {
            node.set("data", reply.data());
        }
        if (frame instanceof ServerFrame.Ack ack && ack.duplicate()) {
            node.put("duplicate", true);
        }
        return node;
    }

    /** The fields of a resumed frame: heads, epochs, more, ignored. */
    private static void resumed(ObjectNode node, ServerFrame.Resumed resumed) {
        node.put("type", "resumed");
        ObjectNode heads = node.putObject("heads");
        resumed.heads().entrySet().stream()
                .sorted(Map.Entry.comparingByKey(Comparator.comparing(GroupName::value)))
                .forEach(head -> heads.put(head.getKey().value(), head.getValue()));
        if (!resumed.epochs().isEmpty()) {
            ObjectNode epochs = node.putObject("epochs");
            resumed.epochs().entrySet().stream()
                    .sorted(Map.Entry.comparingByKey(Comparator.comparing(GroupName::value)))
                    .forEach(epoch -> epochs.put(epoch.getKey().value(), epoch.getValue()));
        }
        if (resumed.more()) {
            node.put("more", true);
        }
        resumed.ignored().forEach(stream -> node.withArray("ignored").add(stream.value()));
    }

    /** Where a message comes from: the server, or a client publishing to a group. */
    public sealed interface Origin {
        /** A server's notify. */
        record Server() implements Origin {}

        /** A client's {@code send} to {@code group}. */
        record Group(GroupName group, UserId from) implements Origin {}
    }

    /** A message's place in its stream: the stream, its number, its id and the numbering's epoch. */
    public record Position(String stream, long seq, String id, String epoch) {}

    /**
     * {@code {"type":"message",["stream":S,"seq":N,"id":I,]"from":"server","data":D}}, or for a client's publish
     * {@code "from":"group","group":G,"fromUserId":U}: the message's compact JSON {@code data} as it is.
     */
    public static byte[] message(Origin origin, Optional<Position> position, byte[] data) {
        StringBuilder head = new StringBuilder(96).append("{\"type\":\"message\"");
        position.ifPresent(at -> head.append(",\"stream\":")
                .append(Json.quoted(at.stream()))
                .append(",\"seq\":")
                .append(at.seq())
                .append(",\"id\":")
                .append(Json.quoted(at.id()))
                .append(",\"epoch\":")
                .append(Json.quoted(at.epoch())));
        if (origin instanceof Origin.Group group) {
            head.append(",\"from\":\"group\",\"group\":")
                    .append(Json.quoted(group.group().value()))
                    .append(",\"fromUserId\":")
                    .append(Json.quoted(group.from().value()));
        } else {
            head.append(",\"from\":\"server\"");
        }
        byte[] start = head.append(",\"data\":").toString().getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(start.length + data.length + 1);
        out.writeBytes(start);
        out.writeBytes(data);
        out.write('}');
        return out.toByteArray();
    }
}
