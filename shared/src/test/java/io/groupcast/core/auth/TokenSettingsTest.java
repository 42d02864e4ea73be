package io.groupcast.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.groupcast.core.config.ConfigurationException;
import io.groupcast.core.config.Environment;
import io.groupcast.core.config.Settings;
import io.groupcast.core.testing.TestTokens;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where the keys come from, and the settings a start refuses rather than run with. */
class TokenSettingsTest {
    private static final String ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:groupcast-jwt-AbCdEf";

    @Test
    void shouldReadTheSecretOfJwtSecretArn_overJwtSecret() {
        TokenSettings settings = Settings.tokens(
                Environment.of(Map.of("JWT_SECRET_ARN", ARN, "JWT_SECRET", "x".repeat(40))),
                arn -> Hs256Keys.fixed("the secret", arn.equals(ARN) ? TestTokens.SECRET : "w".repeat(40)));

        assertThat(new String(settings.secret().orElseThrow().keys().get(0), StandardCharsets.UTF_8))
                .isEqualTo(TestTokens.SECRET);
    }

    @Test
    void shouldRefuseASecretWithWhitespaceAtAnEnd_ratherThanTrimItSilently() {
        assertThatThrownBy(() -> Settings.tokens(Environment.of(Map.of("JWT_SECRET", TestTokens.SECRET + "\n"))))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("environment variable JWT_SECRET starts or ends with whitespace");
        assertThatThrownBy(() -> Settings.tokens(
                        Environment.of(Map.of("JWT_SECRET_ARN", ARN)),
                        arn -> Hs256Keys.fixed("the secret of JWT_SECRET_ARN", " " + TestTokens.SECRET)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("the secret of JWT_SECRET_ARN starts or ends with whitespace");
    }

    @Test
    void shouldRefuseTheDevelopmentSecret_onLambda() {
        Map<String, String> onLambda =
                Map.of("JWT_SECRET", TokenSettings.DEV_SECRET, "AWS_LAMBDA_FUNCTION_NAME", "groupcast-Authorize");

        assertThatThrownBy(() -> Settings.tokens(Environment.of(onLambda)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("development secret");
        assertThat(Settings.tokens(Environment.of(Map.of("JWT_SECRET", TokenSettings.DEV_SECRET)))
                        .secret())
                .as("off Lambda (the local gateway) it is the default")
                .isPresent();
    }

    @Test
    void shouldRequireHttpsForTheJwks_butOnThisMachine() {
        assertThatThrownBy(() -> Settings.tokens(Environment.of(Map.of(
                        "JWKS_URL",
                        "http://issuer.example/jwks.json",
                        "JWT_ISSUER",
                        "https://issuer.example",
                        "JWT_AUDIENCE",
                        "app"))))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage(
                        "environment variable JWKS_URL must be an https URL, was 'http://issuer.example/jwks.json'");
        assertThat(Settings.tokens(Environment.of(Map.of(
                                "JWKS_URL",
                                "http://127.0.0.1:9/jwks.json",
                                "JWT_ISSUER",
                                "https://i.example",
                                "JWT_AUDIENCE",
                                "*")))
                        .jwksUrl())
                .isPresent();
    }

    @Test
    void shouldRequireAnIssuer_withAJwks() {
        assertThatThrownBy(() -> Settings.tokens(
                        Environment.of(Map.of("JWKS_URL", "https://issuer.example/.well-known/jwks.json"))))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("environment variable JWT_ISSUER is required with JWKS_URL");
        assertThatThrownBy(() -> Settings.tokens(Environment.of(Map.of(
                        "JWKS_URL",
                        "https://issuer.example/.well-known/jwks.json",
                        "JWT_ISSUER",
                        "https://i.example"))))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("environment variable JWT_AUDIENCE is required with JWKS_URL");
    }
}
