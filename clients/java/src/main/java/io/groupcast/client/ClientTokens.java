package io.groupcast.client;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Mints the tokens browsers connect with, for a stack that verifies HS256 tokens with its secret ({@code JwtSecret} or
 * {@code JwtSecretArn}): the user id in {@code UserIdClaim} ({@code sub}), the roles in {@code RolesClaim} ({@code
 * roles}), {@code iat} and {@code exp}, and {@code iss} and {@code aud} when the stack checks them.
 */
final class ClientTokens {
    /** The stack refuses shorter HS256 secrets (256 bits). */
    static final int MIN_SECRET_BYTES = 32;

    /** The claims a stack reads by default, and none checked. */
    record Claims(String userIdClaim, String rolesClaim, Optional<String> issuer, Optional<String> audience) {
        static final Claims DEFAULT = new Claims("sub", "roles", Optional.empty(), Optional.empty());
    }

    private final byte[] secret;
    private final Claims claims;
    private final Clock clock;

    ClientTokens(String secret, Claims claims, Clock clock) {
        this.secret = Objects.requireNonNull(secret, "hs256Secret").getBytes(StandardCharsets.UTF_8);
        if (this.secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("the HS256 secret must be at least " + MIN_SECRET_BYTES
                    + " bytes long, as the stack requires; this one has " + this.secret.length);
        }
        this.claims = claims;
        this.clock = clock;
    }

    String mint(String userId, List<String> roles, Duration lifetime) {
        if (userId == null || userId.isBlank()) {
            throw new IllegalArgumentException("a token needs a user id, not " + (userId == null ? "null" : "a blank"));
        }
        Objects.requireNonNull(roles, "roles").forEach(role -> Objects.requireNonNull(role, "a role"));
        if (lifetime == null || lifetime.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("a token's lifetime must be at least 1 second, not " + lifetime);
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        JWTClaimsSet.Builder set = new JWTClaimsSet.Builder()
                .claim(claims.userIdClaim(), userId)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)));
        if (!roles.isEmpty()) {
            set.claim(claims.rolesClaim(), List.copyOf(roles));
        }
        claims.issuer().ifPresent(set::issuer);
        claims.audience().ifPresent(set::audience);
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.HS256)
                        .type(JOSEObjectType.JWT)
                        .build(),
                set.build());
        try {
            jwt.sign(new MACSigner(secret));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign with this HS256 secret: " + e.getMessage(), e);
        }
        return jwt.serialize();
    }
}
