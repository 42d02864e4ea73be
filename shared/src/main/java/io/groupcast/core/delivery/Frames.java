package io.groupcast.core.delivery;

import io.groupcast.core.model.Json;
import io.groupcast.core.model.Protocol;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;

/** One message as each protocol's recipients receive it, each serialized once. */
public final class Frames {
    private static final byte[] SERVER_ENVELOPE =
            "{\"type\":\"message\",\"from\":\"server\",\"data\":".getBytes(StandardCharsets.UTF_8);

    /** How every enveloped message begins; a reliable frame adds its stream, sequence and id right after it. */
    private static final String MESSAGE_START = "{\"type\":\"message\",";

    /**
     * The most any envelope adds to a message: the server envelope, and a reliable frame's stream name (256
     * characters at most), sequence number and id, with room to spare.
     */
    public static final int ENVELOPE_ALLOWANCE = 512;

    private final Map<Protocol, byte[]> frames;
    private final long seq;

    private Frames(Map<Protocol, byte[]> frames) {
        this(frames, 0);
    }

    private Frames(Map<Protocol, byte[]> frames, long seq) {
        this.frames = frames;
        this.seq = seq;
    }

    /** The message's number in its stream; 0 when it is in none. */
    public long seq() {
        return seq;
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

    /**
     * These frames, with the {@link Protocol#RELIABLE_V1} one taking its place in a stream: the enveloped frame with
     * {@code "stream"}, {@code "seq"} and {@code "id"} after its {@code "type"}.
     */
    public Frames inStream(String stream, long seq, String id) {
        String enveloped = new String(frames.get(Protocol.JSON_V1), StandardCharsets.UTF_8);
        if (!enveloped.startsWith(MESSAGE_START)) {
            throw new IllegalStateException("only enveloped messages go into streams");
        }
        String reliable = MESSAGE_START + "\"stream\":" + Json.quoted(stream) + ",\"seq\":" + seq + ",\"id\":"
                + Json.quoted(id) + "," + enveloped.substring(MESSAGE_START.length());
        Map<Protocol, byte[]> streamed = new EnumMap<>(frames);
        streamed.put(Protocol.RELIABLE_V1, reliable.getBytes(StandardCharsets.UTF_8));
        return new Frames(streamed, seq);
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
