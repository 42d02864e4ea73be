package io.groupcast.core.auth;

import java.net.URL;
import java.time.Duration;
import java.util.Optional;

/**
 * How tokens are checked: an HS256 secret and/or a JWKS URL for RS256/ES256, optional issuer and audience, the claims
 * that hold the user id and the roles, the clock skew tolerated, and the longest lifetime a token may have.
 */
public record TokenSettings(
        Optional<byte[]> secret,
        Optional<URL> jwksUrl,
        Optional<String> issuer,
        Optional<String> audience,
        String userIdClaim,
        String rolesClaim,
        Duration clockSkew,
        Optional<Duration> maxLifetime) {
    /** HS256 needs a key of at least 256 bits. */
    public static final int MIN_SECRET_BYTES = 32;

    /** The local gateway's development secret: anyone can read it here, so Lambda refuses it. */
    public static final String DEV_SECRET = "groupcast-local-dev-secret-change-me-0123456789";

    public TokenSettings {
        if (secret.isEmpty() && jwksUrl.isEmpty()) {
            throw new IllegalArgumentException("set JWT_SECRET or JWT_SECRET_ARN (HS256) or JWKS_URL (RS256/ES256) so "
                    + "tokens can be verified");
        }
        if (secret.isPresent() && secret.get().length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("the HS256 secret (JWT_SECRET or JWT_SECRET_ARN) must be at least "
                    + MIN_SECRET_BYTES + " bytes long, was " + secret.get().length);
        }
        if (jwksUrl.isPresent() && issuer.isEmpty()) {
            throw new IllegalArgumentException("environment variable JWT_ISSUER is required with JWKS_URL: "
                    + "without it, any issuer's token signed by a key in the set would be accepted");
        }
    }
}
