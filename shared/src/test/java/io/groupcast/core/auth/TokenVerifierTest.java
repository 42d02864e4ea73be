package io.groupcast.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import io.groupcast.core.config.ConfigurationException;
import io.groupcast.core.config.Environment;
import io.groupcast.core.config.Settings;
import io.groupcast.core.model.Grants;
import io.groupcast.core.model.UserId;
import io.groupcast.core.testing.TestTokens;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TokenVerifierTest {
    private static final Date IN_AN_HOUR = Date.from(Instant.now().plusSeconds(3600));

    /** A token for kevin from the expected issuer and audience, valid for an hour, changed by {@code change}. */
    private static String token(UnaryOperator<JWTClaimsSet.Builder> change) {
        return token(TestTokens.SECRET, change);
    }

    private static String token(String secret, UnaryOperator<JWTClaimsSet.Builder> change) {
        return TestTokens.hs256(
                secret,
                c -> change.apply(c.subject("kevin")
                        .issuer("https://issuer.example")
                        .audience("groupcast")
                        .expirationTime(IN_AN_HOUR)));
    }

    private static void assertRefused(TokenVerifier verifier, String token, String reason) {
        assertThatThrownBy(() -> verifier.verify(token))
                .isInstanceOf(InvalidTokenException.class)
                .hasMessageContaining(reason);
    }

    private final TokenVerifier hs256 = new TokenVerifier(Settings.tokens(Environment.of(Map.of(
            "JWT_SECRET", TestTokens.SECRET, "JWT_ISSUER", "https://issuer.example", "JWT_AUDIENCE", "groupcast"))));

    @Test
    void shouldAcceptValidHs256Token_andReturnSub() throws Exception {
        String token = token(c -> c);
        assertThat(hs256.verify(token).user()).isEqualTo(UserId.of("kevin"));
    }

    @Test
    void shouldRefuseExpiredToken_beyondTheSkew() {
        String token = token(c -> c.expirationTime(Date.from(Instant.now().minusSeconds(120))));
        assertRefused(hs256, token, "Expired JWT");
    }

    @Test
    void shouldTolerateTheSkew_forExpAndNbf_butNoMore() throws InvalidTokenException {
        String expiredWithinSkew =
                token(c -> c.expirationTime(Date.from(Instant.now().minusSeconds(30))));
        String notYetWithinSkew = token(c -> c.expirationTime(IN_AN_HOUR)
                .notBeforeTime(Date.from(Instant.now().plusSeconds(30))));
        String notYet = token(c -> c.expirationTime(IN_AN_HOUR)
                .notBeforeTime(Date.from(Instant.now().plusSeconds(120))));
        TokenVerifier strict = new TokenVerifier(Settings.tokens(
                Environment.of(Map.of("JWT_SECRET", TestTokens.SECRET, "JWT_CLOCK_SKEW_SECONDS", "0"))));

        assertThat(hs256.verify(expiredWithinSkew).user()).isEqualTo(UserId.of("kevin"));
        assertThat(hs256.verify(notYetWithinSkew).user()).isEqualTo(UserId.of("kevin"));
        assertRefused(hs256, notYet, "JWT before use time");
        assertRefused(strict, expiredWithinSkew, "Expired JWT");
    }

    @Test
    void shouldRefuseTokenWithoutExp() {
        String token = TestTokens.hs256(
                TestTokens.SECRET,
                c -> c.subject("kevin").issuer("https://issuer.example").audience("groupcast"));
        assertRefused(hs256, token, "missing required claims: [exp]");
    }

    @Test
    void shouldRefuseATokenSignedWithAnotherKey() {
        assertRefused(
                hs256,
                token("another-secret-another-secret-0123456789", c -> c),
                "Signed JWT rejected: Invalid signature");
    }

    @Test
    void shouldRefuseATokenOfAnotherIssuer() {
        assertRefused(hs256, token(c -> c.issuer("https://evil.example")), "iss");
    }

    @Test
    void shouldRefuseATokenForAnotherAudience() {
        assertRefused(hs256, token(c -> c.audience("other")), "aud claim rejected");
    }

    @Test
    void shouldRefuseAlgNone() {
        String header = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        String claims = b64("{\"sub\":\"kevin\",\"iss\":\"https://issuer.example\",\"aud\":\"groupcast\",\"exp\":"
                + (Instant.now().getEpochSecond() + 3600) + "}");
        assertThatThrownBy(() -> hs256.verify(header + "." + claims + ".")).isInstanceOf(InvalidTokenException.class);
        assertThatThrownBy(() -> hs256.verify(header + "." + claims)).isInstanceOf(InvalidTokenException.class);
    }

    @Test
    void shouldRefuseAMissingToken() {
        assertRefused(hs256, null, "no token");
        assertRefused(hs256, "", "no token");
    }

    @Test
    void shouldRefuseGarbage() {
        assertRefused(hs256, "not.a.jwt", "token rejected");
    }

    @Test
    void shouldRefuseAnOversizeTokenBeforeParsingIt() {
        assertRefused(hs256, "x".repeat(TokenVerifier.MAX_TOKEN_LENGTH + 1), "token longer than 8192 characters");
    }

    @Test
    void shouldAcceptRs256FromJwks_andRefuseHs256SignedWithThePublicKey() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048)
                .keyID("k1")
                .algorithm(JWSAlgorithm.RS256)
                .generate();
        TokenSettings settings = new TokenSettings(
                Optional.empty(),
                Optional.of(url("https://issuer.example/.well-known/jwks.json")),
                Optional.of("https://issuer.example"),
                Optional.of("app-1"),
                "sub",
                "roles",
                Duration.ofSeconds(60),
                Optional.empty());
        TokenVerifier rs256 =
                new TokenVerifier(settings, new ImmutableJWKSet<SecurityContext>(new JWKSet(key.toPublicJWK())));

        String good = TestTokens.rs256(
                key,
                c -> c.subject("alice")
                        .issuer("https://issuer.example")
                        .audience("app-1")
                        .expirationTime(IN_AN_HOUR));
        String otherApp = TestTokens.rs256(
                key,
                c -> c.subject("alice")
                        .issuer("https://issuer.example")
                        .audience("app-2")
                        .expirationTime(IN_AN_HOUR));
        String confused = TestTokens.hs256(
                new String(key.toPublicJWK().toRSAPublicKey().getEncoded(), StandardCharsets.ISO_8859_1)
                        + "-padding-to-32-bytes-at-least",
                c -> c.subject("alice").issuer("https://issuer.example").expirationTime(IN_AN_HOUR));

        assertThat(rs256.verify(good).user()).isEqualTo(UserId.of("alice"));
        assertRefused(rs256, confused, "no matching key");
        assertRefused(rs256, otherApp, "JWT aud claim rejected");
    }

    @Test
    void shouldAcceptOnlyCognitoIdTokens_andAnyAudienceOnlyWhenToldTo() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048)
                .keyID("k1")
                .algorithm(JWSAlgorithm.RS256)
                .generate();
        String pool = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc";
        TokenVerifier anyAudience = new TokenVerifier(
                new TokenSettings(
                        Optional.empty(),
                        Optional.of(url(pool + "/.well-known/jwks.json")),
                        Optional.of(pool),
                        Optional.of(TokenSettings.ANY_AUDIENCE),
                        "sub",
                        "roles",
                        Duration.ofSeconds(60),
                        Optional.empty()),
                new ImmutableJWKSet<SecurityContext>(new JWKSet(key.toPublicJWK())));

        String id = TestTokens.rs256(
                key,
                c -> c.subject("alice")
                        .issuer(pool)
                        .audience("any-client")
                        .claim("token_use", "id")
                        .expirationTime(IN_AN_HOUR));
        String access = TestTokens.rs256(
                key,
                c -> c.subject("alice")
                        .issuer(pool)
                        .claim("client_id", "any-client")
                        .claim("token_use", "access")
                        .expirationTime(IN_AN_HOUR));

        assertThat(anyAudience.verify(id).user()).isEqualTo(UserId.of("alice"));
        assertRefused(anyAudience, access, "a Cognito token must be an ID token (token_use id), was access");
    }

    @Test
    void shouldRefuseATokenIssuedInTheFuture_beyondTheSkew() throws Exception {
        String ahead = token(c -> c.issueTime(Date.from(Instant.now().plusSeconds(3600)))
                .expirationTime(Date.from(Instant.now().plusSeconds(7200))));
        String skewed = token(c -> c.issueTime(Date.from(Instant.now().plusSeconds(30))));

        assertRefused(hs256, ahead, "token issued in the future");
        assertThat(hs256.verify(skewed).user()).isEqualTo(UserId.of("kevin"));
    }

    @Test
    void shouldUseTheConfiguredUserIdClaim_andRefuseInvalidUserIds() throws Exception {
        TokenVerifier byEmail = new TokenVerifier(
                Settings.tokens(Environment.of(Map.of("JWT_SECRET", TestTokens.SECRET, "USER_ID_CLAIM", "email"))));
        String token = TestTokens.hs256(
                TestTokens.SECRET,
                c -> c.subject("123").claim("email", "kevin@example.com").expirationTime(IN_AN_HOUR));
        String badUser = TestTokens.hs256(
                TestTokens.SECRET, c -> c.claim("email", "kevin smith").expirationTime(IN_AN_HOUR));

        assertThat(byEmail.verify(token).user()).isEqualTo(UserId.of("kevin@example.com"));
        assertThatThrownBy(() -> byEmail.verify(badUser))
                .isInstanceOf(InvalidTokenException.class)
                .hasMessageStartingWith("claim email: user 'kevin smith' is not a valid user id");
    }

    @Test
    void shouldFailAtStart_whenNoKeyIsConfigured_orTheSecretIsShort() {
        assertThatThrownBy(() -> Settings.tokens(Environment.of(Map.of())))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("set JWT_SECRET or JWT_SECRET_ARN (HS256) or JWKS_URL (RS256/ES256) so tokens can be "
                        + "verified");
        assertThatThrownBy(() -> Settings.tokens(Environment.of(Map.of("JWT_SECRET", "short"))))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("the HS256 secret (JWT_SECRET or JWT_SECRET_ARN) must be at least 32 bytes long, was 5");
    }

    @Test
    void shouldReadTheRoles_fromAnArrayOrASpaceSeparatedString_ignoringOtherApplicationsRoles() throws Exception {
        String array = token(c -> c.claim("roles", List.of("admin", "groupcast.joinLeaveGroup.room-*")));
        String spaced = token(c -> c.claim("roles", "admin groupcast.sendToGroup.lobby"));

        assertThat(hs256.verify(array).roles().roles()).isEqualTo("groupcast.joinLeaveGroup.room-*");
        assertThat(hs256.verify(spaced).roles().roles()).isEqualTo("groupcast.sendToGroup.lobby");
        assertThat(hs256.verify(token(c -> c)).roles()).isEqualTo(Grants.NONE);
    }

    @Test
    void shouldRefuseMalformedRoles() {
        assertRefused(hs256, token(c -> c.claim("roles", 7)), "claim roles must be an array of strings");
        assertRefused(hs256, token(c -> c.claim("roles", List.of("groupcast.dance"))), "names no permission");
        assertRefused(
                hs256, token(c -> c.claim("roles", List.of("groupcast.sendToGroup.a b"))), "is not a valid group name");
        assertRefused(hs256, token(c -> c.claim("roles", List.of("groupcast.joinLeaveGroup.user:kevin"))), "reserved");
    }

    @Test
    void shouldRefuseMoreRolesThanTheAuthorizersContextCarries() {
        List<String> many = IntStream.range(0, 51)
                .mapToObj(i -> "groupcast.joinLeaveGroup.g" + i)
                .toList();
        List<String> long10 = IntStream.range(0, 20)
                .mapToObj(i -> "groupcast.joinLeaveGroup." + "g".repeat(250) + i)
                .toList();

        assertRefused(hs256, token(c -> c.claim("roles", many)), "51 Groupcast roles; a token may carry at most 50");
        assertRefused(hs256, token(c -> c.claim("roles", long10)), "longer than 4096 characters");
    }

    @Test
    void shouldRequireIatAndALifetimeWithinTheMaximum_whenOneIsSet() throws Exception {
        TokenVerifier bounded = new TokenVerifier(Settings.tokens(
                Environment.of(Map.of("JWT_SECRET", TestTokens.SECRET, "JWT_MAX_LIFETIME_SECONDS", "3600"))));
        Date now = new Date();

        assertThat(bounded.verify(token(c -> c.issueTime(now))).user()).isEqualTo(UserId.of("kevin"));
        assertRefused(bounded, token(c -> c), "missing required claims: [iat]");
        assertRefused(
                bounded,
                token(c -> c.issueTime(now)
                        .expirationTime(Date.from(now.toInstant().plusSeconds(7200)))),
                "longer than JWT_MAX_LIFETIME_SECONDS (3600 s)");
    }

    private static String b64(String json) {
        return Base64URL.encode(json.getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static URL url(String value) {
        try {
            return URI.create(value).toURL();
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }
}
