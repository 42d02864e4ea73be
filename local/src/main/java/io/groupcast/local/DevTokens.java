package io.groupcast.local;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.groupcast.core.model.ErrorCode;
import io.groupcast.core.model.Grants;
import io.groupcast.core.model.RequestException;
import io.groupcast.core.model.UserId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * Development tokens: HS256, {@code sub} = the user, the roles in the claim {@code rolesClaim} names, signed with the
 * local secret.
 *
 * @param secret     the HS256 secret
 * @param rolesClaim the claim that carries roles ({@code RolesClaim}, default {@code roles})
 */
public record DevTokens(String secret, String rolesClaim) {
    /** How long a dev token is valid unless told otherwise. */
    public static final Duration DEFAULT_TTL = Duration.ofHours(12);

    /** The claim roles travel in unless {@code RolesClaim} says otherwise. */
    public static final String DEFAULT_ROLES_CLAIM = "roles";

    /** Tokens signed with the gateway's dev secret, roles in {@code roles}. */
    public static DevTokens dev() {
        return new DevTokens(DevDefaults.JWT_SECRET, DEFAULT_ROLES_CLAIM);
    }

    /**
     * A token for {@code user} carrying {@code roles}, expiring after {@code ttl}. A malformed Groupcast role is an
     * {@code invalid_permission} {@link RequestException}: the authorizer would refuse the token.
     */
    public String issue(UserId user, List<String> roles, Duration ttl) {
        try {
            Grants.ofRoles(roles);
        } catch (IllegalArgumentException e) {
            throw new RequestException(ErrorCode.INVALID_PERMISSION, e.getMessage());
        }
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .subject(user.value())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)));
        if (!roles.isEmpty()) {
            claims.claim(rolesClaim, List.copyOf(roles));
        }
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.HS256)
                        .type(JOSEObjectType.JWT)
                        .build(),
                claims.build());
        try {
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (JOSEException e) {
            throw new IllegalArgumentException("cannot sign with this JWT_SECRET: " + e.getMessage(), e);
        }
        return jwt.serialize();
    }

    /** A token for {@code user} without roles. */
    public String issue(UserId user, Duration ttl) {
        return issue(user, List.of(), ttl);
    }
}
