package io.groupcast.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.sun.net.httpserver.HttpServer;
import io.groupcast.core.model.UserId;
import io.groupcast.core.testing.TestTokens;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The JWKS is fetched from a real HTTP server once, again on a rotated key, and never in a flood of bad kids. */
class JwksFetchTest {
    private static final Date IN_AN_HOUR = new Date(System.currentTimeMillis() + 3_600_000);

    private final AtomicInteger fetches = new AtomicInteger();
    private final AtomicReference<JWKSet> published = new AtomicReference<>();
    private final HttpServer server;

    JwksFetchTest() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/jwks.json", exchange -> {
            fetches.incrementAndGet();
            byte[] body = published.get().toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    private static final String ISSUER = "https://issuer.example";

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void shouldFetchOnce_refreshOnARotatedKid_andNotHammerTheIssuerWithUnknownKids() throws Exception {
        RSAKey first = new RSAKeyGenerator(2048)
                .keyID("k1")
                .algorithm(JWSAlgorithm.RS256)
                .generate();
        published.set(new JWKSet(first.toPublicJWK()));
        URL url = new URL("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json");
        TokenVerifier verifier = new TokenVerifier(new TokenSettings(
                Optional.empty(),
                Optional.of(url),
                Optional.of(ISSUER),
                Optional.of(TokenSettings.ANY_AUDIENCE),
                "sub",
                "roles",
                Duration.ofSeconds(60),
                Optional.empty()));

        for (int i = 0; i < 20; i++) {
            assertThat(verifier.verify(TestTokens.rs256(
                                    first,
                                    c -> c.subject("alice").issuer(ISSUER).expirationTime(IN_AN_HOUR)))
                            .user())
                    .isEqualTo(UserId.of("alice"));
        }
        assertThat(fetches.get()).as("20 valid tokens, one fetch").isEqualTo(1);

        RSAKey rotated = new RSAKeyGenerator(2048)
                .keyID("k2")
                .algorithm(JWSAlgorithm.RS256)
                .generate();
        published.set(new JWKSet(List.of(first.toPublicJWK(), rotated.toPublicJWK())));
        assertThat(verifier.verify(TestTokens.rs256(
                                rotated, c -> c.subject("bob").issuer(ISSUER).expirationTime(IN_AN_HOUR)))
                        .user())
                .isEqualTo(UserId.of("bob"));
        int afterRotation = fetches.get();
        assertThat(afterRotation).as("an unknown kid fetches the set again").isEqualTo(2);

        RSAKey forged = new RSAKeyGenerator(2048).algorithm(JWSAlgorithm.RS256).generate();
        for (int i = 0; i < 100; i++) {
            String token = TestTokens.rs256(
                    new RSAKey.Builder(forged).keyID("forged-" + i).build(),
                    c -> c.subject("mallory").issuer(ISSUER).expirationTime(IN_AN_HOUR));
            assertThatThrownBy(() -> verifier.verify(token)).isInstanceOf(InvalidTokenException.class);
        }
        assertThat(fetches.get())
                .as("100 unknown kids within the rate limit fetch nothing more")
                .isEqualTo(afterRotation);
    }
}
