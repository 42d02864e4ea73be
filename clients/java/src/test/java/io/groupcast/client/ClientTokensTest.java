package io.groupcast.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/** The tokens {@link GroupcastClient#getClientAccessToken} mints, read back with the stack's HS256 secret. */
class ClientTokensTest {
    private static final String SECRET = "a-secret-of-at-least-32-bytes-0123456789";

    private static GroupcastClientBuilder builder() {
        return GroupcastClient.builder()
                .endpoint(URI.create("http://localhost:3000"))
                .region(Region.US_EAST_1);
    }

    private static JWTClaimsSet verified(String token) throws Exception {
        SignedJWT jwt = SignedJWT.parse(token);
        assertThat(jwt.verify(new MACVerifier(SECRET.getBytes(StandardCharsets.UTF_8))))
                .as("signed with the secret")
                .isTrue();
        assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo("HS256");
        return jwt.getJWTClaimsSet();
    }

    @Test
    void shouldPutTheUserInSub_theRolesInRoles_andExpireAfterTheLifetime() throws Exception {
        try (GroupcastClient client = builder().hs256Secret(SECRET).build()) {
            JWTClaimsSet claims = verified(client.getClientAccessToken(
                    "kevin", List.of("groupcast.joinLeaveGroup.room-42"), Duration.ofMinutes(10)));

            assertThat(claims.getSubject()).isEqualTo("kevin");
            assertThat(claims.getStringListClaim("roles")).containsExactly("groupcast.joinLeaveGroup.room-42");
            assertThat(Duration.between(
                            claims.getIssueTime().toInstant(),
                            claims.getExpirationTime().toInstant()))
                    .isEqualTo(Duration.ofMinutes(10));
            assertThat(claims.getIssueTime().toInstant())
                    .isBetween(Instant.now().minusSeconds(60), Instant.now());
            assertThat(claims.getIssuer()).isNull();
        }
    }

    @Test
    void shouldUseTheClaimsTheStackReads_whenTheBuilderNamesThem() throws Exception {
        try (GroupcastClient client = builder()
                .hs256Secret(SECRET)
                .userIdClaim("email")
                .rolesClaim("groupcast_roles")
                .tokenIssuer("https://app.example.com")
                .tokenAudience("groupcast")
                .build()) {
            JWTClaimsSet claims =
                    verified(client.getClientAccessToken("k@example.com", List.of(), Duration.ofHours(1)));

            assertThat(claims.getStringClaim("email")).isEqualTo("k@example.com");
            assertThat(claims.getSubject()).isNull();
            assertThat(claims.getClaim("groupcast_roles"))
                    .as("no roles, no claim")
                    .isNull();
            assertThat(claims.getIssuer()).isEqualTo("https://app.example.com");
            assertThat(claims.getAudience()).containsExactly("groupcast");
        }
    }

    @Test
    void shouldRefuseWhatTheStackWouldRefuse() {
        assertThatThrownBy(() -> builder().hs256Secret("short").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the HS256 secret must be at least 32 bytes long, as the stack requires; this one has 5");
        try (GroupcastClient client = builder().hs256Secret(SECRET).build()) {
            assertThatThrownBy(() -> client.getClientAccessToken("kevin", List.of(), Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("a token's lifetime must be at least 1 second, not PT0S");
            assertThatThrownBy(() -> client.getClientAccessToken(" ", List.of(), Duration.ofMinutes(1)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("a token needs a user id, not a blank");
        }
        try (GroupcastClient client = builder().build()) {
            assertThatThrownBy(() -> client.getClientAccessToken("kevin", List.of(), Duration.ofMinutes(1)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("no HS256 secret to sign with: build the client with .hs256Secret(...); a stack"
                            + " verified with JWKS gets tokens from its identity provider");
        }
    }
}
