package io.groupcast.core.auth;

import io.groupcast.core.config.ConfigurationException;
import io.groupcast.core.config.Environment;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * How tokens are checked: an HS256 secret and/or a JWKS URL for RS256/ES256, optional issuer and audience, the claim
 * that holds the user id and the clock skew tolerated.
 */
public record TokenSettings(
        Optional<byte[]> secret,
        Optional<URL> jwksUrl,
        Optional<String> issuer,
        Optional<String> audience,
        String userIdClaim,
        Duration clockSkew) {
    /** HS256 needs a key of at least 256 bits. */
    public static final int MIN_SECRET_BYTES = 32;

    public TokenSettings {
        if (secret.isEmpty() && jwksUrl.isEmpty()) {
            throw new ConfigurationException(
                    "set JWT_SECRET (HS256) or JWKS_URL (RS256/ES256) so tokens can be verified");
        }
        if (secret.isPresent() && secret.get().length < MIN_SECRET_BYTES) {
            throw new ConfigurationException("environment variable JWT_SECRET must be at least " + MIN_SECRET_BYTES
                    + " bytes long for HS256, was " + secret.get().length);
        }
    }

    /** Reads JWT_SECRET, JWKS_URL, JWT_ISSUER, JWT_AUDIENCE, USER_ID_CLAIM and JWT_CLOCK_SKEW_SECONDS. */
    public static TokenSettings from(Environment env) {
        return new TokenSettings(
                env.optional("JWT_SECRET").map(s -> s.getBytes(StandardCharsets.UTF_8)),
                env.optional("JWKS_URL").map(TokenSettings::url),
                env.optional("JWT_ISSUER"),
                env.optional("JWT_AUDIENCE"),
                env.optional("USER_ID_CLAIM").orElse("sub"),
                Duration.ofSeconds(env.integer("JWT_CLOCK_SKEW_SECONDS", 60, 0, 600)));
    }

    private static URL url(String value) {
        try {
            URI uri = new URI(value);
            if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
                throw new ConfigurationException(
                        "environment variable JWKS_URL must be an https URL, was '" + value + "'");
            }
            return uri.toURL();
        } catch (URISyntaxException | MalformedURLException | IllegalArgumentException e) {
            throw new ConfigurationException("environment variable JWKS_URL is not a valid URL: '" + value + "'");
        }
    }
}
