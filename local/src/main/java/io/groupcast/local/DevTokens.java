package io.groupcast.local;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.groupcast.core.model.UserId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/** Development tokens: HS256, {@code sub} = the user, signed with the local secret. */
public final class DevTokens {
    /** How long a dev token is valid unless told otherwise. */
    public static final Duration DEFAULT_TTL = Duration.ofHours(12);

    private DevTokens() {}

    /** A token for {@code user} signed with {@code secret}, expiring after {@code ttl}. */
    public static String issue(String secret, UserId user, Duration ttl) {
        Instant now = Instant.now();
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.HS256)
                        .type(JOSEObjectType.JWT)
                        .build(),
                new JWTClaimsSet.Builder()
                        .subject(user.value())
                        .issueTime(Date.from(now))
                        .expirationTime(Date.from(now.plus(ttl)))
                        .build());
        try {
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (JOSEException e) {
            throw new IllegalArgumentException("cannot sign with this JWT_SECRET: " + e.getMessage(), e);
        }
        return jwt.serialize();
    }
}
