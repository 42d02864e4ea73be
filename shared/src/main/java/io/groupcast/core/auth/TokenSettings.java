package io.groupcast.core.auth;

import java.net.URL;
import java.time.Duration;
import java.util.Optional;

/**
 * How tokens are checked: an HS256 secret and/or a JWKS URL for RS256/ES256, optional issuer and audience, the claims
 * that hold the user id and the roles, the clock skew tolerated, and the longest lifetime a token may have.
 */
public record TokenSettings(
        Optional<Hs256Keys> secret,
        Optional<URL> jwksUrl,
        Optional<String> issuer,
        Optional<String> audience,
        String userIdClaim,
        String rolesClaim,
        Duration clockSkew,
        Optional<Duration> maxLifetime) {
    /** The audience that accepts any: tokens are then not checked for {@code aud}. */
    public static final String ANY_AUDIENCE = "*";

    /** The local gateway's development secret: anyone can read it here, so Lambda refuses it. */
    public static final String DEV_SECRET = "groupcast-local-dev-secret-change-me-0123456789";

    /** The audience tokens must name; empty when any is accepted. */
    public Optional<String> requiredAudience() {
        return audience.filter(a -> !a.equals(ANY_AUDIENCE));
    }

    /** Whether the issuer is a Cognito user pool, whose ID and access tokens tell themselves apart by token_use. */
    public boolean cognito() {
        return issuer.filter(i -> i.startsWith("https://cognito-idp.")).isPresent();
    }

    public TokenSettings {
        if (secret.isEmpty() && jwksUrl.isEmpty()) {
            throw new IllegalArgumentException("set JWT_SECRET or JWT_SECRET_ARN (HS256) or JWKS_URL (RS256/ES256) so "
                    + "tokens can be verified");
        }
        if (jwksUrl.isPresent() && issuer.isEmpty()) {
            throw new IllegalArgumentException("environment variable JWT_ISSUER is required with JWKS_URL: "
                    + "without it, any issuer's token signed by a key in the set would be accepted");
        }
        if (jwksUrl.isPresent() && audience.isEmpty()) {
            throw new IllegalArgumentException(
                    "environment variable JWT_AUDIENCE is required with JWKS_URL: without it, "
                            + "a token the issuer made for any other app (another Cognito app client) would be accepted; set it"
                            + " to " + ANY_AUDIENCE + " to accept any audience on purpose");
        }
    }
}
