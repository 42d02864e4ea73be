package io.groupcast.core.delivery;

import io.groupcast.core.model.Protocol;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;

/** One message as each protocol's recipients receive it, each serialized once. */
public final class Frames {
    private static final byte[] SERVER_ENVELOPE =
            "{\"type\":\"message\",\"from\":\"server\",\"data\":".getBytes(StandardCharsets.UTF_8);

    private final Map<Protocol, byte[]> frames;

    private Frames(Map<Protocol, byte[]> frames) {
        this.frames = frames;
    }

    /** A frame every protocol receives as it is (a client's publish is already enveloped). */
    public static Frames same(byte[] frame) {
        Map<Protocol, byte[]> frames = new EnumMap<>(Protocol.class);
        for (Protocol protocol : Protocol.values()) {
            frames.put(protocol, frame);
        }
        return new Frames(frames);
    }

    /**
     * A server's message (its compact JSON): as it is for {@link Protocol#PLAIN} recipients, in
     * {@code {"type":"message","from":"server","data":M}} for enveloped ones.
     */
    public static Frames serverMessage(byte[] message) {
        Map<Protocol, byte[]> frames = new EnumMap<>(Protocol.class);
        frames.put(Protocol.PLAIN, message);
        byte[] enveloped = envelope(message);
        for (Protocol protocol : Protocol.values()) {
            frames.putIfAbsent(protocol, enveloped);
        }
        return new Frames(frames);
    }

    /** {@code {"type":"message","from":"server","data":M}} around a message's compact JSON. */
    public static byte[] envelope(byte[] message) {
        byte[] enveloped = new byte[SERVER_ENVELOPE.length + message.length + 1];
        System.arraycopy(SERVER_ENVELOPE, 0, enveloped, 0, SERVER_ENVELOPE.length);
        System.arraycopy(message, 0, enveloped, SERVER_ENVELOPE.length, message.length);
        enveloped[enveloped.length - 1] = '}';
        return enveloped;
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
