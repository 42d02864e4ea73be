package io.groupcast.core.delivery;

import io.groupcast.core.model.Recipient;
import io.groupcast.core.protocol.MessageFrames;
import java.util.Objects;

/** One post of a fan-out: a recipient and the frames of the message it gets (its protocol picks one). */
public record Delivery(Recipient recipient, MessageFrames frames) {
    public Delivery {
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(frames, "frames");
    }

    /** The frame this recipient receives. */
    public byte[] frame() {
        return frames.frame(recipient.protocol());
    }
}
