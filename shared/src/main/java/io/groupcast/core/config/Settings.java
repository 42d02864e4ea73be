package io.groupcast.core.config;

import io.groupcast.core.auth.Hs256Keys;
import io.groupcast.core.auth.TokenSettings;
import io.groupcast.core.connections.ClientActions;
import io.groupcast.core.connections.UserLimits;
import io.groupcast.core.delivery.FanoutSettings;
import io.groupcast.core.handlers.HandlerSettings;
import io.groupcast.core.model.Grants;
import io.groupcast.core.model.RequestException;
import io.groupcast.core.notify.Publisher;
import io.groupcast.core.streams.Streams;
import io.groupcast.core.workers.WorkerSettings;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Every variable a use case's settings come from, read here and nowhere else: each method reads one use case's
 * variables into the value its constructor takes, and fails with a message naming a variable set out of range. The
 * functions' {@code Wiring} calls each once per container.
 */
public final class Settings {
    /** Hosts a JWKS may be fetched from over plain http: this machine only (a test's or a local issuer's). */
    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]");

    private Settings() {}

    /** {@code MAX_CONNECTIONS_PER_USER} (1 to 10,000) and {@code MAX_LINKS_PER_USER} (1 to 250). */
    public static UserLimits userLimits(Environment env) {
        return new UserLimits(
                env.integer(
                        "MAX_CONNECTIONS_PER_USER",
                        UserLimits.DEFAULTS.maxConnections(),
                        1,
                        UserLimits.MAX_CONNECTIONS),
                env.integer("MAX_LINKS_PER_USER", UserLimits.DEFAULTS.maxLinks(), 1, UserLimits.MAX_LINKS));
    }

    /** {@code MAX_GROUPS_PER_CONNECTION}: 1 to 10,000, default 100. */
    public static int maxGroupsPerConnection(Environment env) {
        return env.integer("MAX_GROUPS_PER_CONNECTION", ClientActions.DEFAULT_MAX_GROUPS, 1, 10_000);
    }

    /**
     * {@code MAX_PUBLISHES_PER_SECOND} (1 to 1,000, default 10) and {@code MAX_PUBLISHES_PER_SECOND_PER_USER} (1 to
     * 10,000, default 20).
     */
    public static Publisher.Limits publishLimits(Environment env) {
        return new Publisher.Limits(
                env.integer("MAX_PUBLISHES_PER_SECOND", Publisher.DEFAULT_MAX_PER_SECOND, 1, 1_000),
                env.integer("MAX_PUBLISHES_PER_SECOND_PER_USER", Publisher.DEFAULT_MAX_PER_USER, 1, 10_000));
    }

    /** {@code RESUME_WINDOW_SECONDS}: 0 (streams off) to 3,600, default 120. */
    public static Duration resumeWindow(Environment env) {
        return Duration.ofSeconds(
                env.integer("RESUME_WINDOW_SECONDS", (int) Streams.DEFAULT_WINDOW.toSeconds(), 0, (int)
                        Streams.MAX_WINDOW.toSeconds()));
    }

    /** {@code BROADCAST_TO_ALL}: {@code Enabled} (the default: connections join a broadcast shard) or {@code Disabled}. */
    public static boolean broadcast(Environment env) {
        String value = env.optional("BROADCAST_TO_ALL").orElse("Enabled");
        if (!value.equals("Enabled") && !value.equals("Disabled")) {
            throw new ConfigurationException(
                    "environment variable BROADCAST_TO_ALL must be Enabled or Disabled, was '" + value + "'");
        }
        return value.equals("Enabled");
    }

    /**
     * {@code EVENT_HANDLER_TIMEOUT_SECONDS} (1 to 10, default 5), {@code MAX_PUBLISHES_PER_SECOND} (events count as
     * sends do), {@code CONNECT_HOOK} ({@code Enabled} or {@code Disabled}, the default) and
     * {@code CONNECT_HOOK_ON_FAILURE} ({@code Refuse}, the default, or {@code Allow}).
     */
    public static HandlerSettings handlers(Environment env) {
        return new HandlerSettings(
                Duration.ofSeconds(env.integer(
                        "EVENT_HANDLER_TIMEOUT_SECONDS", (int) HandlerSettings.DEFAULT_TIMEOUT.toSeconds(), 1, (int)
                                HandlerSettings.MAX_TIMEOUT.toSeconds())),
                publishLimits(env).perConnection(),
                choice(env, "CONNECT_HOOK", "Disabled", "Enabled"),
                choice(env, "CONNECT_HOOK_ON_FAILURE", "Refuse", "Allow"));
    }

    /** Whether {@code variable} is {@code yes}; it must be {@code no} (the default) or {@code yes}. */
    private static boolean choice(Environment env, String variable, String no, String yes) {
        String value = env.optional(variable).orElse(no);
        if (!value.equals(no) && !value.equals(yes)) {
            throw new ConfigurationException(
                    "environment variable " + variable + " must be " + no + " or " + yes + ", was '" + value + "'");
        }
        return value.equals(yes);
    }

    /** {@code PUBLIC_GROUPS}: comma-separated names or {@code prefix*} patterns any connected client may join. */
    public static Grants publicGroups(Environment env) {
        try {
            return Grants.publicGroups(env.optional("PUBLIC_GROUPS").orElse(""));
        } catch (RequestException e) {
            throw new ConfigurationException("environment variable PUBLIC_GROUPS: " + e.getMessage());
        }
    }

    /** {@code FANOUT_MAX_IN_FLIGHT} (1 to 2,048) and {@code FANOUT_MAX_RETRIES} (0 to 10) over the defaults. */
    public static FanoutSettings fanout(Environment env) {
        FanoutSettings d = FanoutSettings.defaults();
        return new FanoutSettings(
                env.integer("FANOUT_MAX_IN_FLIGHT", d.maxInFlight(), 1, 2048),
                env.integer("FANOUT_MAX_RETRIES", d.maxRetries(), 0, 10),
                d.baseDelay(),
                d.maxDelay(),
                d.reserve());
    }

    /**
     * {@code FANOUT_MAX_POSTS_PER_SECOND} (1 to 1,000,000), {@code FANOUT_VISIBILITY_SECONDS} (1 to 43,200) and
     * {@code FANOUT_MAX_RECEIVES} (1 to 1,000).
     */
    public static WorkerSettings workers(Environment env) {
        WorkerSettings d = WorkerSettings.DEFAULTS;
        return new WorkerSettings(
                env.integer("FANOUT_MAX_POSTS_PER_SECOND", d.maxPostsPerSecond(), 1, 1_000_000),
                Duration.ofSeconds(env.integer(
                        "FANOUT_VISIBILITY_SECONDS", (int) d.visibility().toSeconds(), 1, 43_200)),
                env.integer("FANOUT_MAX_RECEIVES", d.maxReceives(), 1, 1000));
    }

    /** As {@link #tokens(Environment, Function)}, where no secret is read from Secrets Manager (tests, tools). */
    public static TokenSettings tokens(Environment env) {
        return tokens(env, arn -> {
            throw new ConfigurationException("JWT_SECRET_ARN is set, but no Secrets Manager client was given");
        });
    }

    /**
     * Reads {@code JWT_SECRET} or {@code JWT_SECRET_ARN} (its secrets through {@code secrets}, which keeps them
     * current), {@code JWKS_URL}, {@code JWT_ISSUER}, {@code JWT_AUDIENCE}, {@code USER_ID_CLAIM}, {@code ROLES_CLAIM},
     * {@code JWT_CLOCK_SKEW_SECONDS} and {@code JWT_MAX_LIFETIME_SECONDS}. The local gateway's development secret is
     * refused inside Lambda ({@code AWS_LAMBDA_FUNCTION_NAME} set), but not under {@code sam local}, which sets
     * {@code AWS_SAM_LOCAL=true} as well.
     */
    public static TokenSettings tokens(Environment env, Function<String, Hs256Keys> secrets) {
        boolean inLambda = env.optional("AWS_LAMBDA_FUNCTION_NAME").isPresent()
                && !"true".equals(env.optional("AWS_SAM_LOCAL").orElse(""));
        Optional<String> plain = env.optional("JWT_SECRET");
        if (plain.isPresent() && plain.get().equals(TokenSettings.DEV_SECRET) && inLambda) {
            throw new ConfigurationException("the HS256 secret is the local gateway's development secret, which is "
                    + "public: set JwtSecretArn (or JwtSecret) to a secret of your own");
        }
        int maxLifetime = env.integer("JWT_MAX_LIFETIME_SECONDS", 0, 0, 31_536_000);
        try {
            Optional<Hs256Keys> secret = env.optional("JWT_SECRET_ARN")
                    .map(secrets)
                    .or(() -> plain.map(value -> Hs256Keys.fixed("environment variable JWT_SECRET", value)));
            return new TokenSettings(
                    secret,
                    env.optional("JWKS_URL").map(Settings::jwksUrl),
                    env.optional("JWT_ISSUER"),
                    env.optional("JWT_AUDIENCE"),
                    env.optional("USER_ID_CLAIM").orElse("sub"),
                    env.optional("ROLES_CLAIM").orElse("roles"),
                    Duration.ofSeconds(env.integer("JWT_CLOCK_SKEW_SECONDS", 60, 0, 600)),
                    maxLifetime == 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(maxLifetime)));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage());
        }
    }

    private static URL jwksUrl(String value) {
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
