package io.groupcast.core.protocol;

import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.Protocol;
import io.groupcast.core.model.UserId;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/** One message as each protocol's recipients receive it, each frame written once by {@link ServerFrames}. */
public final class MessageFrames {
    /**
     * The most any envelope adds to a message: the server envelope, and a reliable frame's stream name (256
     * characters at most), sequence number and id, with room to spare.
     */
    public static final int ENVELOPE_ALLOWANCE = 512;

    private final ServerFrames.Origin origin;
    private final byte[] data;
    private final Map<Protocol, byte[]> frames;
    private final Optional<ServerFrames.Position> position;

    private MessageFrames(
            ServerFrames.Origin origin,
            byte[] data,
            Map<Protocol, byte[]> frames,
            Optional<ServerFrames.Position> position) {
        this.origin = origin;
        this.data = data;
        this.frames = frames;
        this.position = position;
    }

    /**
     * A server's message (its compact JSON): as it is for {@link Protocol#PLAIN} recipients, in
     * {@code {"type":"message","from":"server","data":M}} for enveloped ones.
     */
    public static MessageFrames fromServer(byte[] message) {
        ServerFrames.Origin server = new ServerFrames.Origin.Server();
        byte[] enveloped = ServerFrames.message(server, Optional.empty(), message);
        Map<Protocol, byte[]> frames = new EnumMap<>(Protocol.class);
        for (Protocol protocol : Protocol.values()) {
            frames.put(protocol, protocol == Protocol.PLAIN ? message : enveloped);
        }
        return new MessageFrames(server, message, frames, Optional.empty());
    }

    /**
     * A client's publish to {@code group}: {@code {"type":"message","from":"group","group":G,"fromUserId":U,
     * "data":D}} for every protocol, plain included, so that no server message can be mistaken for it.
     */
    public static MessageFrames fromGroup(GroupName group, UserId from, byte[] data) {
        ServerFrames.Origin origin = new ServerFrames.Origin.Group(group, from);
        byte[] enveloped = ServerFrames.message(origin, Optional.empty(), data);
        Map<Protocol, byte[]> frames = new EnumMap<>(Protocol.class);
        for (Protocol protocol : Protocol.values()) {
            frames.put(protocol, enveloped);
        }
        return new MessageFrames(origin, data, frames, Optional.empty());
    }

    /**
     * These frames, with the {@link Protocol#RELIABLE_V1} one taking its place in a stream: the envelope with
     * {@code "stream"}, {@code "seq"}, {@code "id"} and {@code "epoch"} after its {@code "type"}.
     */
    public MessageFrames inStream(String stream, long seq, String id, String epoch) {
        ServerFrames.Position at = new ServerFrames.Position(stream, seq, id, epoch);
        Map<Protocol, byte[]> streamed = new EnumMap<>(frames);
        streamed.put(Protocol.RELIABLE_V1, ServerFrames.message(origin, Optional.of(at), data));
        return new MessageFrames(origin, data, streamed, Optional.of(at));
    }

    /** The message's number in its stream; 0 when it is in none. */
    public long seq() {
        return position.map(ServerFrames.Position::seq).orElse(0L);
    }

    /** Where the message is in its stream, when it is in one. */
    public Optional<ServerFrames.Position> position() {
        return position;
    }

    /**
     * What a reliable connection the message is not for receives instead: {@code {"type":"skip",...}}, so that it
     * does not wait for the number; empty when the message is in no stream.
     */
    public Optional<MessageFrames> skip() {
        return position.map(at -> {
            byte[] skip = ServerFrames.write(new ServerFrame.Skip(GroupName.of(at.stream()), at.epoch(), at.seq()));
            Map<Protocol, byte[]> only = new EnumMap<>(Protocol.class);
            for (Protocol protocol : Protocol.values()) {
                only.put(protocol, skip);
            }
            return new MessageFrames(origin, skip, only, position);
        });
    }

    /** The frame a recipient speaking {@code protocol} receives. */
    public byte[] frame(Protocol protocol) {
        return frames.get(protocol);
    }

    /** The largest of the frames, for size checks. */
    public int largest() {
        return frames.values().stream().mapToInt(frame -> frame.length).max().orElse(0);
    }
}
