package io.groupcast.functions;

import io.groupcast.core.ClientActions;
import io.groupcast.core.ConnectionLifecycle;
import io.groupcast.core.Groups;
import io.groupcast.core.Notifier;
import io.groupcast.core.Permissions;
import io.groupcast.core.Publisher;
import io.groupcast.core.Streams;
import io.groupcast.core.UserLimits;
import io.groupcast.core.auth.TokenSettings;
import io.groupcast.core.auth.TokenVerifier;
import io.groupcast.core.config.AwsClients;
import io.groupcast.core.config.Environment;
import io.groupcast.core.delivery.Connections;
import io.groupcast.core.delivery.Fanout;
import io.groupcast.core.delivery.FanoutSettings;
import io.groupcast.core.scale.Notifications;
import io.groupcast.core.scale.PostRate;
import io.groupcast.core.scale.SliceQueue;
import io.groupcast.core.scale.SliceWorker;
import io.groupcast.core.scale.SqsSliceQueue;
import io.groupcast.core.scale.Workers;
import io.groupcast.core.store.DynamoDbMembershipStore;
import io.groupcast.core.store.MembershipStore;
import io.groupcast.functions.edge.Log;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What the handler of one container uses, built once from its environment (in Lambda, a container runs one
 * function; locally, the gateway builds one per function). Each part is built on first use, so a function reads
 * only the variables it needs, and a missing one fails with a message naming the variable. Tests and the
 * benchmark's baseline put their own parts in with {@link Builder#with}.
 */
public final class Wiring {
    private final Environment env;
    private final Map<Class<?>, Object> given;
    private final Map<Class<?>, Object> built = new HashMap<>();
    private final boolean primesBeforeSnapshot;

    private Wiring(Builder builder) {
        this.env = builder.env;
        this.given = Map.copyOf(builder.given);
        this.primesBeforeSnapshot = builder.primesBeforeSnapshot;
    }

    /** Lambda's: the process environment; handlers wired by it prime themselves before a SnapStart snapshot. */
    public static Wiring ofProcess() {
        Builder builder = builder(System.getenv());
        builder.primesBeforeSnapshot = true;
        return builder.build();
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
        return part(MembershipStore.class, () -> clients().membershipStore());
    }

    /** Connections reached through {@code MANAGEMENT_API_ENDPOINT}. */
    public Connections connections() {
        return part(
                Connections.class, () -> clients().connections(fanoutSettings().maxInFlight()));
    }

    /** The fan-out with {@code FANOUT_MAX_IN_FLIGHT} and {@code FANOUT_MAX_RETRIES}. */
    public Fanout fanout() {
        return part(Fanout.class, () -> AwsClients.fanout(store(), connections(), fanoutSettings()));
    }

    /** The token checks of {@code JWT_SECRET}, {@code JWKS_URL} and their companions. */
    public TokenVerifier tokens() {
        return part(
                TokenVerifier.class,
                () -> new TokenVerifier(TokenSettings.from(env, arn -> clients().secret(arn))));
    }

    /** {@code $connect} and {@code $disconnect}. */
    public ConnectionLifecycle lifecycle() {
        return part(ConnectionLifecycle.class, () -> new ConnectionLifecycle(store(), userLimits(), clock()));
    }

    /** Client frames, with {@code MAX_GROUPS_PER_CONNECTION}. */
    public ClientActions clientActions() {
        return part(
                ClientActions.class,
                () -> new ClientActions(
                        store(),
                        connections(),
                        permissions(),
                        publisher(),
                        streams(),
                        ClientActions.maxGroups(env),
                        clock()));
    }

    /** Client publishes, with {@code MAX_PUBLISHES_PER_SECOND}. */
    public Publisher publisher() {
        return part(
                Publisher.class,
                () -> new Publisher(store(), fanout(), streams(), Publisher.maxPerSecond(env), clock()));
    }

    /** Streams for reliable delivery, with {@code RESUME_WINDOW_SECONDS}. */
    public Streams streams() {
        return part(Streams.class, () -> new Streams(store(), connections(), Streams.window(env), clock()));
    }

    /** What connections may do: their roles, {@code PUBLIC_GROUPS}, the server's grants. */
    public Permissions permissions() {
        return part(Permissions.class, () -> new Permissions(store(), Permissions.publicGroups(env), clock()));
    }

    /** {@code MAX_CONNECTIONS_PER_USER} and {@code MAX_LINKS_PER_USER}. */
    public UserLimits userLimits() {
        return part(UserLimits.class, () -> UserLimits.from(env));
    }

    /** Notify, handing slices to the fan-out workers when {@code FANOUT_QUEUE_URL} names their queue. */
    public Notifier notifier() {
        return part(Notifier.class, () -> new Notifier(store(), fanout(), streams(), workers(), clock()));
    }

    /** The fan-out workers' queue ({@code FANOUT_QUEUE_URL}) and notification records; none without a queue. */
    public Workers workers() {
        return part(Workers.class, () -> {
            SliceQueue queue = part(SliceQueue.class, this::queue);
            return queue == NO_QUEUE ? Workers.NONE : new Workers(notifications(), queue, clock());
        });
    }

    /** A fan-out worker: its posts share {@code FANOUT_MAX_POSTS_PER_SECOND} with every other worker. */
    public SliceWorker sliceWorker() {
        return part(SliceWorker.class, () -> {
            PostRate rate = new PostRate(
                    table().dynamo(),
                    table().table(),
                    env.integer("FANOUT_MAX_POSTS_PER_SECOND", 3000, 1, 1_000_000),
                    clock());
            Fanout limited = AwsClients.fanout(store(), rate.limiting(connections()), fanoutSettings());
            Duration visibility = Duration.ofSeconds(env.integer("FANOUT_VISIBILITY_SECONDS", 1800, 1, 43_200));
            // a worker always records slices; it hands the rest of a range on only through a queue
            Workers workers = new Workers(notifications(), part(SliceQueue.class, this::queue), clock());
            return new SliceWorker(store(), workers, limited, visibility, clock());
        });
    }

    /** Notification records, for {@code GET /notifications/{id}}. */
    public Notifications notifications() {
        return part(Notifications.class, () -> new Notifications(table().dynamo(), table().table()));
    }

    /**
     * The membership table and its client: the store's own when it is DynamoDB's, so that a function opens one
     * DynamoDB client for its store, its notification records and its post budget.
     */
    private DynamoDbMembershipStore table() {
        return store() instanceof DynamoDbMembershipStore dynamo
                ? dynamo
                : part(
                        DynamoDbMembershipStore.class,
                        () -> new DynamoDbMembershipStore(clients().dynamoDb(), env.required("TABLE_NAME")));
    }

    private SliceQueue queue() {
        return env.optional("FANOUT_QUEUE_URL")
                .<SliceQueue>map(url -> new SqsSliceQueue(clients().sqs(), url))
                .orElse(NO_QUEUE);
    }

    private static final SliceQueue NO_QUEUE = slices -> {
        throw new IllegalStateException("no fan-out queue");
    };

    /** The server API's membership, presence and close operations. */
    public Groups groups() {
        return part(Groups.class, () -> new Groups(store(), connections(), fanoutSettings(), userLimits(), clock()));
    }

    /** The environment this wiring reads. */
    public Environment environment() {
        return env;
    }

    /** Whether this function posts to connections (its environment names the management API). */
    public boolean posts() {
        return env.optional("MANAGEMENT_API_ENDPOINT").isPresent();
    }

    /** Runs {@code prime} before each SnapStart snapshot of this process, when wired by {@link #ofProcess()}. */
    void primeBeforeSnapshot(String function, Runnable prime) {
        if (primesBeforeSnapshot) {
            Priming.register(function, prime);
        }
    }

    private Clock clock() {
        return part(Clock.class, Clock::systemUTC);
    }

    private AwsClients clients() {
        return part(AwsClients.class, () -> AwsClients.from(env));
    }

    private FanoutSettings fanoutSettings() {
        return part(FanoutSettings.class, () -> AwsClients.fanoutSettings(env));
    }

    /** The part of this type: the one given, else the one built before, else a new one from {@code create}. */
    private synchronized <T> T part(Class<T> type, Supplier<T> create) {
        Object part = given.get(type);
        if (part == null) {
            part = built.get(type);
        }
        if (part == null) {
            part = create.get();
            built.put(type, part);
        }
        return type.cast(part);
    }

    /** Parts to use instead of those built from the environment. */
    public static final class Builder {
        private final Environment env;
        private final Map<Class<?>, Object> given = new HashMap<>();
        private boolean primesBeforeSnapshot;

        private Builder(Map<String, String> env) {
            this.env = Environment.of(env);
            Log.configure(this.env);
        }

        /**
         * Uses {@code part} wherever a {@code type} is needed: a {@link MembershipStore}, {@link Connections},
         * {@link Fanout}, {@link FanoutSettings}, {@link TokenVerifier} or {@link Clock}.
         */
        public <T> Builder with(Class<T> type, T part) {
            given.put(type, Objects.requireNonNull(part, "part"));
            return this;
        }

        public Wiring build() {
            return new Wiring(this);
        }
    }
}
