package io.groupcast.core.auth;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The HS256 secrets tokens may be signed with now: one, or during a rotation the current and the previous one, so
 * that tokens signed just before the rotation still connect.
 */
public interface Hs256Keys {
    /** HS256 needs a key of at least 256 bits. */
    int MIN_BYTES = 32;

    /** The secrets tokens may be signed with, the current first. */
    List<byte[]> keys();

    /** Reads the secrets again now (after a SnapStart restore, whose snapshot may hold old ones). */
    default void refresh() {}

    /** One secret that never changes ({@code what} names where it comes from, for errors). */
    static Hs256Keys fixed(String what, String secret) {
        byte[] key = checked(what, secret);
        return () -> List.of(key);
    }

    /**
     * A secret's bytes, refused when shorter than {@link #MIN_BYTES} or padded with whitespace (a newline from a file?):
     * it is used exactly as given, as the token issuer signs with it, never trimmed behind anyone's back.
     */
    static byte[] checked(String what, String secret) {
        if (!secret.equals(secret.strip())) {
            throw new IllegalArgumentException(what + " starts or ends with whitespace (a newline from a file?); "
                    + "set it without, as your token issuer signs with it");
        }
        byte[] key = secret.getBytes(StandardCharsets.UTF_8);
        if (key.length < MIN_BYTES) {
            throw new IllegalArgumentException("the HS256 secret (JWT_SECRET or JWT_SECRET_ARN) must be at least "
                    + MIN_BYTES + " bytes long, was " + key.length);
        }
        return key;
    }
}
