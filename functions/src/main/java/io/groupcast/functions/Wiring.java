package io.groupcast.functions;

import io.groupcast.core.ClientActions;
import io.groupcast.core.ConnectionLifecycle;
import io.groupcast.core.Groups;
import io.groupcast.core.Notifier;
import io.groupcast.core.auth.TokenSettings;
import io.groupcast.core.auth.TokenVerifier;
import io.groupcast.core.config.AwsClients;
import io.groupcast.core.config.Environment;
import io.groupcast.core.delivery.Connections;
import io.groupcast.core.delivery.Fanout;
import io.groupcast.core.delivery.FanoutSettings;
import io.groupcast.core.store.MembershipStore;
import io.groupcast.functions.edge.Log;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What the handler of one container uses, built once from its environment (in Lambda, a container runs one
 * function; locally, the gateway builds one per function). Each part is built on first use, so a function reads
 * only the variables it needs, and a missing one fails its start with a message naming the variable. Tests and the
 * benchmark's baseline put their own parts in with the builder.
 */
public final class Wiring {
    private final Environment env;
    private final Clock clock;
    private final Lazy<AwsClients> clients;
    private final Lazy<MembershipStore> store;
    private final Lazy<Connections> connections;
    private final Lazy<Fanout> fanout;
    private final Lazy<TokenVerifier> tokens;

    private Wiring(Builder builder) {
        this.env = builder.env;
        this.clock = builder.clock;
        this.clients = new Lazy<>(() -> AwsClients.from(env));
        this.store = new Lazy<>(
                builder.store != null
                        ? () -> builder.store
                        : () -> clients.get().membershipStore());
        FanoutSettings settings = builder.fanoutSettings;
        this.connections = new Lazy<>(
                builder.connections != null
                        ? () -> builder.connections
                        : () -> clients.get().connections(fanoutSettings().maxInFlight()));
        this.fanout = new Lazy<>(
                builder.fanout != null
                        ? () -> builder.fanout
                        : () -> AwsClients.fanout(
                                store(), connections(), settings != null ? settings : fanoutSettings()));
        this.tokens = new Lazy<>(
                builder.tokens != null ? () -> builder.tokens : () -> new TokenVerifier(TokenSettings.from(env)));
    }

    /** Lambda's: the process environment. */
    public static Wiring ofProcess() {
        return of(System.getenv());
    }

    /** Everything from {@code env}: the variables the template sets, and those Lambda sets (region, credentials). */
    public static Wiring of(Map<String, String> env) {
        return builder(env).build();
    }

    /** A wiring with some parts given; the rest is built from {@code env} on first use. */
    public static Builder builder(Map<String, String> env) {
        return new Builder(env);
    }

    /** The membership store on {@code TABLE_NAME}. */
    public MembershipStore store() {
        return store.get();
    }

    /** Connections reached through {@code MANAGEMENT_API_ENDPOINT}. */
    public Connections connections() {
        return connections.get();
    }

    /** The fan-out with {@code FANOUT_MAX_IN_FLIGHT} and {@code FANOUT_MAX_RETRIES}. */
    public Fanout fanout() {
        return fanout.get();
    }

    /** The token checks of {@code JWT_SECRET}, {@code JWKS_URL} and their companions. */
    public TokenVerifier tokens() {
        return tokens.get();
    }

    /** {@code $connect} and {@code $disconnect}. */
    public ConnectionLifecycle lifecycle() {
        return new ConnectionLifecycle(store(), clock);
    }

    /** Client frames, with {@code MAX_GROUPS_PER_CONNECTION}. */
    public ClientActions clientActions() {
        return new ClientActions(store(), connections(), ClientActions.maxGroups(env), clock);
    }

    /** Notify. */
    public Notifier notifier() {
        return new Notifier(store(), fanout(), clock);
    }

    /** The server API's membership, presence and close operations. */
    public Groups groups() {
        return new Groups(store(), connections(), clock);
    }

    private FanoutSettings fanoutSettings() {
        return AwsClients.fanoutSettings(env);
    }

    /** Parts to use instead of those built from the environment. */
    public static final class Builder {
        private final Environment env;
        private Clock clock = Clock.systemUTC();
        private MembershipStore store;
        private Connections connections;
        private FanoutSettings fanoutSettings;
        private Fanout fanout;
        private TokenVerifier tokens;

        private Builder(Map<String, String> env) {
            this.env = Environment.of(env);
            Log.configure(this.env);
        }

        public Builder store(MembershipStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        public Builder connections(Connections connections) {
            this.connections = Objects.requireNonNull(connections, "connections");
            return this;
        }

        public Builder fanoutSettings(FanoutSettings settings) {
            this.fanoutSettings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        public Builder fanout(Fanout fanout) {
            this.fanout = Objects.requireNonNull(fanout, "fanout");
            return this;
        }

        public Builder tokens(TokenVerifier tokens) {
            this.tokens = Objects.requireNonNull(tokens, "tokens");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Wiring build() {
            return new Wiring(this);
        }
    }

    /** A part built once, on first use. */
    private static final class Lazy<T> {
        private final Supplier<T> create;
        private T value;

        Lazy(Supplier<T> create) {
            this.create = create;
        }

        synchronized T get() {
            if (value == null) {
                value = create.get();
            }
            return value;
        }
    }
}
