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
import java.util.Set;
import java.util.function.Function;

/**
 * How tokens are checked: an HS256 secret and/or a JWKS URL for RS256/ES256, optional issuer and audience, the claims
 * that hold the user id and the roles, the clock skew tolerated, and the longest lifetime a token may have.
 */
public record TokenSettings(
        Optional<byte[]> secret,
        Optional<URL> jwksUrl,
        Optional<String> issuer,
        Optional<String> audience,
        String userIdClaim,
        String rolesClaim,
        Duration clockSkew,
        Optional<Duration> maxLifetime) {
    /** HS256 needs a key of at least 256 bits. */
    public static final int MIN_SECRET_BYTES = 32;

    /** The local gateway's development secret: anyone can read it here, so Lambda refuses it. */
    public static final String DEV_SECRET = "groupcast-local-dev-secret-change-me-0123456789";

    /** Hosts a JWKS may be fetched from over plain http: this machine only (a test's or a local issuer's). */
    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]");

    public TokenSettings {
        if (secret.isEmpty() && jwksUrl.isEmpty()) {
            throw new ConfigurationException("set JWT_SECRET or JWT_SECRET_ARN (HS256) or JWKS_URL (RS256/ES256) so "
                    + "tokens can be verified");
        }
        if (secret.isPresent() && secret.get().length < MIN_SECRET_BYTES) {
            throw new ConfigurationException("the HS256 secret (JWT_SECRET or JWT_SECRET_ARN) must be at least "
                    + MIN_SECRET_BYTES + " bytes long, was " + secret.get().length);
        }
        if (jwksUrl.isPresent() && issuer.isEmpty()) {
            throw new ConfigurationException("environment variable JWT_ISSUER is required with JWKS_URL: "
                    + "without it, any issuer's token signed by a key in the set would be accepted");
        }
    }

    /** As {@link #from(Environment, Function)}, where no secret is read from Secrets Manager (tests, tools). */
    public static TokenSettings from(Environment env) {
        return from(env, arn -> {
            throw new ConfigurationException("JWT_SECRET_ARN is set, but no Secrets Manager client was given");
        });
    }

    /**
     * Reads {@code JWT_SECRET} or {@code JWT_SECRET_ARN} (the secret's value through {@code secrets}), {@code JWKS_URL},
     * {@code JWT_ISSUER}, {@code JWT_AUDIENCE}, {@code USER_ID_CLAIM}, {@code ROLES_CLAIM},
     * {@code JWT_CLOCK_SKEW_SECONDS} and {@code JWT_MAX_LIFETIME_SECONDS}.
     */
    public static TokenSettings from(Environment env, Function<String, String> secrets) {
        Optional<String> secret = env.optional("JWT_SECRET_ARN")
                .map(arn -> checked("the secret of JWT_SECRET_ARN", secrets.apply(arn)))
                .or(() -> env.optional("JWT_SECRET").map(value -> checked("environment variable JWT_SECRET", value)));
        if (secret.isPresent()
                && secret.get().equals(DEV_SECRET)
                && env.optional("AWS_LAMBDA_FUNCTION_NAME").isPresent()) {
            throw new ConfigurationException("the HS256 secret is the local gateway's development secret, which is "
                    + "public: set JwtSecretArn (or JwtSecret) to a secret of your own");
        }
        int maxLifetime = env.integer("JWT_MAX_LIFETIME_SECONDS", 0, 0, 31_536_000);
        return new TokenSettings(
                secret.map(s -> s.getBytes(StandardCharsets.UTF_8)),
                env.optional("JWKS_URL").map(TokenSettings::url),
                env.optional("JWT_ISSUER"),
                env.optional("JWT_AUDIENCE"),
                env.optional("USER_ID_CLAIM").orElse("sub"),
                env.optional("ROLES_CLAIM").orElse("roles"),
                Duration.ofSeconds(env.integer("JWT_CLOCK_SKEW_SECONDS", 60, 0, 600)),
                maxLifetime == 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(maxLifetime)));
    }

    /** A secret exactly as given: one with whitespace at either end is refused, never trimmed behind your back. */
    private static String checked(String what, String secret) {
        if (!secret.equals(secret.strip())) {
            throw new ConfigurationException(what + " starts or ends with whitespace (a newline from a file?); "
                    + "set it without, as your token issuer signs with it");
        }
        return secret;
    }

    private static URL url(String value) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new ConfigurationException("environment variable JWKS_URL is not a valid URL: '" + value + "'");
        }
        boolean loopback = "http".equals(uri.getScheme()) && LOOPBACK.contains(String.valueOf(uri.getHost()));
        if (!"https".equals(uri.getScheme()) && !loopback) {
            throw new ConfigurationException("environment variable JWKS_URL must be an https URL, was '" + value + "'");
        }
        try {
            return uri.toURL();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new ConfigurationException("environment variable JWKS_URL is not a valid URL: '" + value + "'");
        }
    }
}
