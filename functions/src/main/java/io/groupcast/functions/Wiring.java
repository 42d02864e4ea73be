package io.groupcast.functions;

import io.groupcast.core.auth.TokenVerifier;
import io.groupcast.core.config.AwsClients;
import io.groupcast.core.config.Environment;
import io.groupcast.core.config.Settings;
import io.groupcast.core.connections.ClientActions;
import io.groupcast.core.connections.ConnectionLifecycle;
import io.groupcast.core.connections.UserLimits;
import io.groupcast.core.delivery.ConnectionCalls;
import io.groupcast.core.delivery.Connections;
import io.groupcast.core.delivery.FanoutSettings;
import io.groupcast.core.groups.Groups;
import io.groupcast.core.groups.Permissions;
import io.groupcast.core.notify.Idempotency;
import io.groupcast.core.notify.Notifier;
import io.groupcast.core.notify.Publisher;
import io.groupcast.core.queue.sqs.SqsSliceQueue;
import io.groupcast.core.store.Counters;
import io.groupcast.core.store.GrantStore;
import io.groupcast.core.store.IdempotencyStore;
import io.groupcast.core.store.LinkStore;
import io.groupcast.core.store.MembershipStore;
import io.groupcast.core.store.StreamLog;
import io.groupcast.core.store.dynamodb.DynamoDbCounters;
import io.groupcast.core.store.dynamodb.DynamoDbGrantStore;
import io.groupcast.core.store.dynamodb.DynamoDbIdempotencyStore;
import io.groupcast.core.store.dynamodb.DynamoDbLinkStore;
import io.groupcast.core.store.dynamodb.DynamoDbMembershipStore;
import io.groupcast.core.store.dynamodb.DynamoDbNotificationStore;
import io.groupcast.core.store.dynamodb.DynamoDbPostBudget;
import io.groupcast.core.store.dynamodb.DynamoDbStreamLog;
import io.groupcast.core.store.dynamodb.DynamoDbTable;
import io.groupcast.core.streams.Streams;
import io.groupcast.core.workers.NotificationStore;
import io.groupcast.core.workers.PostBudget;
import io.groupcast.core.workers.PostRate;
import io.groupcast.core.workers.SliceQueue;
import io.groupcast.core.workers.SliceWorker;
import io.groupcast.core.workers.WorkerSettings;
import io.groupcast.core.workers.Workers;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * What the handler of one container uses, built once from its environment (in Lambda, a container runs one
 * function; locally, the gateway builds one per function). Each part is built on first use, so a function reads
 * only the variables it needs (through {@link Settings}, into the settings each use case's constructor takes), and a
 * missing one fails with a message naming the variable. Tests and the benchmark's baseline put their own parts in
 * with {@link WiringBuilder#with}.
 */
public final class Wiring {
    private final Environment env;
    private final Map<Class<?>, Object> given;
    private final Map<Class<?>, Object> built = new HashMap<>();
    private final boolean primesBeforeSnapshot;

    Wiring(WiringBuilder builder) {
        this.env = builder.env;
        this.given = Map.copyOf(builder.given);
        this.primesBeforeSnapshot = builder.primesBeforeSnapshot;
    }

    /** Lambda's: the process environment; handlers wired by it prime themselves before a SnapStart snapshot. */
    public static Wiring ofProcess() {
        WiringBuilder builder = builder(System.getenv());
        builder.primesBeforeSnapshot = true;
        return builder.build();
    }

    /** Everything from {@code env}: the variables the template sets, and those Lambda sets (region, credentials). */
    public static Wiring of(Map<String, String> env) {
        return builder(env).build();
    }

    /** A wiring with some parts given; the rest is built from {@code env} on first use. */
    public static WiringBuilder builder(Map<String, String> env) {
        return new WiringBuilder(env);
    }

    /** Connections and memberships on {@code TABLE_NAME}. */
    public MembershipStore store() {
        return part(MembershipStore.class, () -> new DynamoDbMembershipStore(table()));
    }

    /** User links on {@code TABLE_NAME}. */
    public LinkStore links() {
        return part(LinkStore.class, () -> new DynamoDbLinkStore(table()));
    }

    /** The server's grants on {@code TABLE_NAME}. */
    public GrantStore grants() {
        return part(GrantStore.class, () -> new DynamoDbGrantStore(table()));
    }

    /** Rate counters on {@code TABLE_NAME}. */
    public Counters counters() {
        return part(Counters.class, () -> new DynamoDbCounters(table()));
    }

    /** Streams' numbers and kept messages on {@code TABLE_NAME}. */
    public StreamLog streamLog() {
        return part(StreamLog.class, () -> new DynamoDbStreamLog(table()));
    }

    /** Notification records on {@code TABLE_NAME}, for the workers and {@code GET /notifications/{id}}. */
    public NotificationStore notifications() {
        return part(NotificationStore.class, () -> new DynamoDbNotificationStore(table()));
    }

    /** The stack-wide post budget on {@code TABLE_NAME}. */
    public PostBudget postBudget() {
        return part(PostBudget.class, () -> new DynamoDbPostBudget(table()));
    }

    /** Idempotency records on {@code TABLE_NAME}: notifies' keys, sends' ackIds. */
    public Idempotency idempotency() {
        return part(
                Idempotency.class,
                () -> new Idempotency(
                        part(IdempotencyStore.class, () -> new DynamoDbIdempotencyStore(table())), clock()));
    }

    /** Connections reached through {@code MANAGEMENT_API_ENDPOINT}. */
    public Connections connections() {
        return part(
                Connections.class, () -> clients().connections(fanoutSettings().maxInFlight()));
    }

    /** Calls to connections with {@code FANOUT_MAX_IN_FLIGHT} and {@code FANOUT_MAX_RETRIES}. */
    public ConnectionCalls calls() {
        return part(
                ConnectionCalls.class,
                () -> AwsClients.calls(store(), connections(), fanoutSettings(), clock(), events().lifecycleEvents()));
    }

    /** The token checks of {@code JWT_SECRET}, {@code JWKS_URL} and their companions. */
    public TokenVerifier tokens() {
        return part(
                TokenVerifier.class,
                () -> new TokenVerifier(Settings.tokens(env, arn -> clients().secret(arn, clock()))));
    }

    /** {@code $connect} and {@code $disconnect}. */
    public ConnectionLifecycle lifecycle() {
        return part(
                ConnectionLifecycle.class,
                () -> new ConnectionLifecycle(
                        store(),
                        links(),
                        streams(),
                        userLimits(),
                        Settings.broadcast(env),
                        background(),
                        clock(),
                        events().connectHook(),
                        events().lifecycleEvents()));
    }

    /** Client frames, with {@code MAX_GROUPS_PER_CONNECTION}. */
    public ClientActions clientActions() {
        return part(
                ClientActions.class,
                () -> new ClientActions(
                        store(),
                        counters(),
                        connections(),
                        permissions(),
                        publisher(),
                        streams(),
                        Settings.maxGroupsPerConnection(env),
                        clock(),
                        events().clientEvents()));
    }

    /** The server-side handlers' parts: client events, the connect hook, lifecycle events (docs/handlers.md). */
    public EventParts events() {
        return part(EventParts.class, () -> new EventParts(this, env));
    }

    /** Client publishes, with {@code MAX_PUBLISHES_PER_SECOND}. */
    public Publisher publisher() {
        return part(
                Publisher.class,
                () -> new Publisher(
                        store(),
                        counters(),
                        clientCalls(),
                        streams(),
                        idempotency(),
                        Settings.publishLimits(env),
                        clock()));
    }

    /** Calls for what clients cause (a send, a replay): they share {@code FANOUT_MAX_POSTS_PER_SECOND}, if set. */
    private ConnectionCalls clientCalls() {
        return env.optional("FANOUT_MAX_POSTS_PER_SECOND").isEmpty()
                ? calls()
                : part(ClientCalls.class, () -> {
                            int perSecond = workerSettings().maxPostsPerSecond();
                            PostRate rate = new PostRate(postBudget(), perSecond, PostRate.INTERACTIVE_CHUNK, clock());
                            return new ClientCalls(
                                    AwsClients.calls(store(), rate.limiting(connections()), fanoutSettings(), clock()));
                        })
                        .calls();
    }

    /** {@link #clientCalls}, kept under a type of its own. */
    private record ClientCalls(ConnectionCalls calls) {}

    /**
     * Streams for reliable delivery, with {@code RESUME_WINDOW_SECONDS}; a replay's posts share
     * {@code FANOUT_MAX_POSTS_PER_SECOND} with the fan-out workers when the function has it.
     */
    public Streams streams() {
        return part(Streams.class, () -> {
            // built on the first replay: $connect, which never replays, has no management API
            Supplier<ConnectionCalls> replays = this::clientCalls;
            return new Streams(streamLog(), store(), replays, Settings.resumeWindow(env), background(), clock());
        });
    }

    /** The stack-wide post rate, {@code FANOUT_MAX_POSTS_PER_SECOND}, for a worker's long fan-outs. */
    private PostRate rate() {
        return part(
                PostRate.class,
                () -> new PostRate(postBudget(), workerSettings().maxPostsPerSecond(), clock()));
    }

    /** Threads for work that overlaps a call's own (a stream's numbering while members are read). */
    private Executor background() {
        return part(Executor.class, Streams::newBackground);
    }

    /** What connections may do: their roles, {@code PUBLIC_GROUPS}, the server's grants. */
    public Permissions permissions() {
        return part(Permissions.class, () -> new Permissions(store(), grants(), Settings.publicGroups(env), clock()));
    }

    /** {@code MAX_CONNECTIONS_PER_USER} and {@code MAX_LINKS_PER_USER}. */
    public UserLimits userLimits() {
        return part(UserLimits.class, () -> Settings.userLimits(env));
    }

    /** Notify, handing slices to the fan-out workers when {@code FANOUT_QUEUE_URL} names their queue. */
    public Notifier notifier() {
        return part(
                Notifier.class,
                () -> new Notifier(
                        store(), calls(), streams(), workers(), idempotency(), Settings.broadcast(env), clock()));
    }

    /** The fan-out workers' queue ({@code FANOUT_QUEUE_URL}) and notification records; none without a queue. */
    public Workers workers() {
        return part(
                Workers.class,
                () -> sliceQueue()
                        .map(queue -> new Workers(notifications(), queue, clock()))
                        .orElse(Workers.NONE));
    }

    /** {@code FANOUT_MAX_POSTS_PER_SECOND}, {@code FANOUT_VISIBILITY_SECONDS} and {@code FANOUT_MAX_RECEIVES}. */
    public WorkerSettings workerSettings() {
        return part(WorkerSettings.class, () -> Settings.workers(env));
    }

    /** A fan-out worker: its posts share {@code FANOUT_MAX_POSTS_PER_SECOND} with every other worker. */
    public SliceWorker sliceWorker() {
        return part(SliceWorker.class, () -> {
            // a worker always records slices; it hands the rest of a range on only through a queue
            Workers workers = new Workers(notifications(), sliceQueue().orElse(SliceQueue.NONE), clock());
            return new SliceWorker(
                    store(), workers, calls(), rate(), workerSettings().visibility(), clock());
        });
    }

    /** The server API's membership, presence and close operations. */
    public Groups groups() {
        return part(
                Groups.class,
                () -> new Groups(
                        store(), links(), calls(), streams(), userLimits().maxLinks(), clock()));
    }

    /** Whether this function posts to connections (its environment names the management API). */
    public boolean posts() {
        return env.optional("MANAGEMENT_API_ENDPOINT").isPresent();
    }

    /** Runs {@code prime} before each SnapStart snapshot, {@code restored} after each restore (by {@link #ofProcess()}). */
    void primeBeforeSnapshot(String function, Runnable prime, Runnable restored) {
        if (primesBeforeSnapshot) {
            Priming.register(function, prime, restored);
        }
    }

    /** The fan-out queue of {@code FANOUT_QUEUE_URL}, when the stack has one. */
    public Optional<SliceQueue> sliceQueue() {
        SliceQueue queue = part(
                SliceQueue.class,
                () -> env.optional("FANOUT_QUEUE_URL")
                        .<SliceQueue>map(url -> new SqsSliceQueue(clients().sqs(), url))
                        .orElse(SliceQueue.NONE));
        return queue == SliceQueue.NONE ? Optional.empty() : Optional.of(queue);
    }

    /** The table every store adapter shares: one DynamoDB client per function. */
    private DynamoDbTable table() {
        return part(DynamoDbTable.class, () -> clients().table());
    }

    Clock clock() {
        return part(Clock.class, Clock::systemUTC);
    }

    AwsClients clients() {
        return part(AwsClients.class, () -> AwsClients.from(env));
    }

    private FanoutSettings fanoutSettings() {
        return part(FanoutSettings.class, () -> Settings.fanout(env));
    }

    /** The part of this type: the one given, else the one built before, else a new one from {@code create}. */
    synchronized <T> T part(Class<T> type, Supplier<T> create) {
        Object part = given.containsKey(type) ? given.get(type) : built.get(type);
        if (part == null) {
            part = create.get();
            built.put(type, part);
        }
        return type.cast(part);
    }
}
