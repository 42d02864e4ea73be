package io.groupcast.core.auth;

/** A token that is missing, malformed, unsigned, badly signed, expired or for another issuer or audience. */
public final class InvalidTokenException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidTokenException(String reason) {
        super(reason);
    }

    public InvalidTokenException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
