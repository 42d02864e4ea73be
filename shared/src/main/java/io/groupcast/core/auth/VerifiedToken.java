package io.groupcast.core.auth;

import io.groupcast.core.model.Grants;
import io.groupcast.core.model.UserId;
import java.util.Objects;

/** What a valid token says: whose it is, and the Groupcast permissions its roles grant. */
public record VerifiedToken(UserId user, Grants roles) {
    public VerifiedToken {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(roles, "roles");
    }
}
