package io.groupcast.core.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.function.UnaryOperator;

/** Builds signed tokens for tests. */
public final class TestTokens {
    /** The secret tests configure for HS256. */
    public static final String SECRET = "test-secret-test-secret-test-secret-0123";

    private TestTokens() {}

    /** The role that lets a client join and leave any group not reserved. */
    public static final String JOIN_ANY = "groupcast.joinLeaveGroup";

    /** The role that lets a client send to any group not reserved. */
    public static final String SEND_ANY = "groupcast.sendToGroup";

    /** An HS256 token for {@code user} with these Groupcast roles (claim {@code roles}), valid for an hour. */
    public static String hs256(String user, String... roles) {
        return hs256(SECRET, claims -> {
            claims.subject(user).expirationTime(Date.from(Instant.now().plusSeconds(3600)));
            return roles.length == 0 ? claims : claims.claim("roles", List.of(roles));
        });
    }

    /** An HS256 token signed with {@code secret} carrying the claims {@code customize} sets. */
    public static String hs256(String secret, UnaryOperator<JWTClaimsSet.Builder> customize) {
        return sign(
                new JWSHeader(JWSAlgorithm.HS256),
                signer(() -> new MACSigner(secret.getBytes(StandardCharsets.UTF_8))),
                customize);
    }

    /** An RS256 token signed with {@code key} carrying the claims {@code customize} sets. */
    public static String rs256(RSAKey key, UnaryOperator<JWTClaimsSet.Builder> customize) {
        return sign(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                signer(() -> new RSASSASigner(key)),
                customize);
    }

    private static String sign(JWSHeader header, JWSSigner signer, UnaryOperator<JWTClaimsSet.Builder> customize) {
        SignedJWT jwt = new SignedJWT(
                header, customize.apply(new JWTClaimsSet.Builder()).build());
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    private interface SignerFactory {
        JWSSigner create() throws JOSEException;
    }

    private static JWSSigner signer(SignerFactory factory) {
        try {
            return factory.create();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
