package io.groupcast.core.model;

/** A user's id, as carried by the token's user id claim. */
public record UserId(String value) {
    public UserId {
        Names.USER.check(value);
    }

    /** Validates and wraps a user id. */
    public static UserId of(String value) {
        return new UserId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
