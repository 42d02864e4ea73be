package io.groupcast.core.delivery;

import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.Protocol;
import io.groupcast.core.model.Recipient;
import io.groupcast.core.protocol.MessageFrames;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** One post of a fan-out: a recipient and the frames of the message it gets (its protocol picks one). */
public record Delivery(Recipient recipient, MessageFrames frames) {
    public Delivery {
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(frames, "frames");
    }

    /**
     * The delivery of a message to a recipient unless it is one of the {@code except}ed: then nothing, or, for a
     * {@link Protocol#RELIABLE_V1} one when the message is numbered in a stream, a {@code skip} of its number, so that
     * the recipient neither waits for it nor asks for it again.
     */
    public static Optional<Delivery> unless(Set<ConnectionId> except, Recipient recipient, MessageFrames frames) {
        if (!except.contains(recipient.id())) {
            return Optional.of(new Delivery(recipient, frames));
        }
        if (recipient.protocol() != Protocol.RELIABLE_V1) {
            return Optional.empty();
        }
        return frames.skip().map(skip -> new Delivery(recipient, skip));
    }

    /** The frame this recipient receives. */
    public byte[] frame() {
        return frames.frame(recipient.protocol());
    }
}
