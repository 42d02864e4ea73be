package io.groupcast.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import io.groupcast.core.config.RotatingSecret;
import io.groupcast.core.model.Json;
import io.groupcast.core.testing.MovableClock;
import io.groupcast.core.testing.TestEnvironment;
import io.groupcast.core.testing.TestTokens;
import io.groupcast.standins.LoopbackSecretsManager;
import io.groupcast.standins.ProjectRoot;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The HS256 secret rotated in Secrets Manager (a loopback stand-in speaking its wire format) reaches a running
 * authorizer without a deployment: within {@link RotatingSecret#REFRESH}, or at once after a SnapStart restore, while
 * tokens signed with the previous secret pass for {@link RotatingSecret#PREVIOUS_GRACE} after the rotation.
 */
class SecretRotationTest {
    private static final String ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:groupcast-jwt-AbCdEf";
    private static final String FIRST = "first-secret-of-at-least-thirty-two-bytes";
    private static final String SECOND = "second-secret-of-at-least-thirty-two-bytes";
    private static final String THIRD = "third-secret-of-at-least-thirty-two-bytes!";

    private final MovableClock clock = new MovableClock(Instant.parse("2026-12-01T10:00:00Z"));
    private final LoopbackSecretsManager secrets = LoopbackSecretsManager.start(ARN, FIRST, clock.instant());
    private final Wiring wiring = wiring();
    private final AuthorizeHandler authorize = new AuthorizeHandler(wiring);

    private Wiring wiring() {
        Map<String, String> env = new HashMap<>(TestEnvironment.aws());
        env.put("JWT_SECRET_ARN", ARN);
        env.put("SECRETS_MANAGER_ENDPOINT", secrets.endpoint().toString());
        return Wiring.builder(env).with(Clock.class, clock).build();
    }

    @AfterEach
    void stop() {
        secrets.close();
    }

    private String effect(String secret) {
        APIGatewayCustomAuthorizerEvent event =
                EventLoader.loadEvent(ProjectRoot.event("authorize.json"), APIGatewayCustomAuthorizerEvent.class);
        event.setQueryStringParameters(Map.of(
                "token",
                TestTokens.hs256(
                        secret,
                        c -> c.subject("kim")
                                .expirationTime(
                                        java.util.Date.from(Instant.now().plusSeconds(3600))))));
        IamPolicyResponse answer = authorize.handleRequest(event, null);
        return Json.mapper()
                .valueToTree(answer.getPolicyDocument())
                .path("Statement")
                .path(0)
                .path("Effect")
                .asText();
    }

    @Test
    void shouldTakeARotatedSecretWithinTheRefresh_andAcceptThePreviousOneDuringTheGrace() {
        assertThat(effect(FIRST)).isEqualTo("Allow");

        clock.advance(Duration.ofMinutes(1));
        secrets.rotate(SECOND, clock.instant());
        assertThat(effect(SECOND)).as("read at most every 5 minutes").isEqualTo("Deny");

        clock.advance(RotatingSecret.REFRESH);
        assertThat(effect(SECOND)).isEqualTo("Allow");
        assertThat(effect(FIRST)).as("the previous secret, during the grace").isEqualTo("Allow");

        clock.advance(RotatingSecret.PREVIOUS_GRACE);
        assertThat(effect(FIRST)).as("the previous secret, after the grace").isEqualTo("Deny");
        assertThat(effect(SECOND)).isEqualTo("Allow");
        assertThat(effect("never-the-secret-of-this-stack-at-all-0123")).isEqualTo("Deny");
    }

    @Test
    void shouldReadTheSecretAgainAfterASnapStartRestore_atOnce() {
        assertThat(effect(FIRST)).isEqualTo("Allow");
        secrets.rotate(THIRD, clock.instant());
        int reads = secrets.reads();

        Priming.register("authorize-test", () -> {}, wiring.tokens()::refresh);
        Priming.restoreAll();

        assertThat(secrets.reads()).isGreaterThan(reads);
        assertThat(effect(THIRD)).isEqualTo("Allow");
    }
}
