package io.groupcast.core.model;

import java.util.Objects;

/** A user's id, as carried by the token's user id claim. */
public record UserId(String value) {
    public UserId {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty()
                || value.length() > Names.MAX_USER_ID_LENGTH
                || !Names.USER_ID.matcher(value).matches()) {
            throw new RequestException(
                    ErrorCode.INVALID_USER,
                    "user " + Names.describe(value) + " is not a valid user id: use 1-" + Names.MAX_USER_ID_LENGTH
                            + " letters, digits or _ - . @ + = |");
        }
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
