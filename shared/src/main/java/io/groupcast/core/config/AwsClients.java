package io.groupcast.core.config;

import io.groupcast.core.auth.Hs256Keys;
import io.groupcast.core.delivery.ConnectionCalls;
import io.groupcast.core.delivery.Connections;
import io.groupcast.core.delivery.FanoutSettings;
import io.groupcast.core.delivery.apigateway.SignedConnections;
import io.groupcast.core.events.LifecycleEvents;
import io.groupcast.core.events.eventbridge.EventBridgeEvents;
import io.groupcast.core.handlers.EventHandler;
import io.groupcast.core.handlers.HandlerSettings;
import io.groupcast.core.handlers.http.HttpEventHandler;
import io.groupcast.core.handlers.lambda.LambdaEventHandler;
import io.groupcast.core.store.MembershipStore;
import io.groupcast.core.store.StoreUnavailableException;
import io.groupcast.core.store.dynamodb.DynamoDbTable;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.function.IntConsumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Builds the clients once per container, with the HTTP clients chosen on purpose (see BENCHMARKS.md): the SDK's
 * URLConnection client for DynamoDB (fastest cold start, one call at a time) and, for the Management API, the SDK's
 * Netty client carrying posts signed by {@code PostSigner} (many posts in flight, least CPU per post).
 */
public final class AwsClients {
    /** The longest one attempt of an AWS call may take (DynamoDB, Secrets Manager). */
    public static final Duration STORE_ATTEMPT_TIMEOUT = Duration.ofSeconds(2);

    /** The longest one AWS call may take, retries included: a store that hangs fails a call after this. */
    public static final Duration STORE_CALL_TIMEOUT = StoreUnavailableException.CALL_TIMEOUT;

    private final Region region;
    private final AwsCredentialsProvider credentials;
    private final Environment env;

    private AwsClients(Environment env) {
        this.env = env;
        this.region = Region.of(env.required("AWS_REGION"));
        this.credentials = credentialsFrom(env);
    }

    /** Clients configured from {@code AWS_REGION} and the credentials in {@code env}. */
    public static AwsClients from(Environment env) {
        return new AwsClients(env);
    }

    /** The table {@code TABLE_NAME}, at {@code DYNAMODB_ENDPOINT} when set (local runs), failing when missing. */
    public DynamoDbTable table() {
        return table(DynamoDbTable.MissingTable.FAIL);
    }

    /** The table {@code TABLE_NAME}, doing what {@code missing} says when it is missing. */
    public DynamoDbTable table(DynamoDbTable.MissingTable missing) {
        return new DynamoDbTable(dynamoDb(), env.required("TABLE_NAME"), missing);
    }

    /**
     * The HS256 secret of the Secrets Manager secret {@code arn}, kept current ({@link RotatingSecret}; at
     * {@code SECRETS_MANAGER_ENDPOINT} when set: local runs and tests); an unreadable one fails the start with a
     * message naming it.
     */
    public Hs256Keys secret(String arn, Clock clock) {
        var builder = SecretsManagerClient.builder()
                .region(region)
                .credentialsProvider(credentials)
                .httpClient(blockingHttp())
                .overrideConfiguration(override(Tracing.enabled(env)));
        env.optional("SECRETS_MANAGER_ENDPOINT")
                .ifPresent(e -> builder.endpointOverride(uri("SECRETS_MANAGER_ENDPOINT", e)));
        return new RotatingSecret(builder.build(), arn, clock);
    }

    /** A DynamoDB client for this environment; {@code interceptors} see every call (benchmarks meter capacity). */
    public DynamoDbClient dynamoDb(ExecutionInterceptor... interceptors) {
        var builder = DynamoDbClient.builder()
                .region(region)
                .credentialsProvider(credentials)
                .httpClient(blockingHttp())
                .overrideConfiguration(override(interceptors));
        env.optional("DYNAMODB_ENDPOINT").ifPresent(e -> builder.endpointOverride(uri("DYNAMODB_ENDPOINT", e)));
        return builder.build();
    }

    /**
     * An SQS client for this environment, at {@code SQS_ENDPOINT} when set (the local gateway's queues);
     * {@code interceptors} see every call (the local gateway records the actions each function calls).
     */
    public SqsClient sqs(ExecutionInterceptor... interceptors) {
        var builder = SqsClient.builder()
                .region(region)
                .credentialsProvider(credentials)
                .httpClient(blockingHttp())
                .overrideConfiguration(override(interceptors));
        env.optional("SQS_ENDPOINT").ifPresent(e -> builder.endpointOverride(uri("SQS_ENDPOINT", e)));
        return builder.build();
    }

    /**
     * The application's event handler: the HTTP endpoint of {@code EVENT_HANDLER_URL} (the local gateway's
     * {@code --event-handler-url}), else the Lambda function of {@code EVENT_HANDLER_FUNCTION_ARN} (at
     * {@code LAMBDA_ENDPOINT} when set), else none.
     */
    public Optional<EventHandler> eventHandler() {
        Optional<String> url = env.optional("EVENT_HANDLER_URL");
        if (url.isPresent()) {
            return Optional.of(HttpEventHandler.at(uri("EVENT_HANDLER_URL", url.get())));
        }
        return env.optional("EVENT_HANDLER_FUNCTION_ARN").map(function -> {
            // one attempt: a retry could run the handler twice; each call sets its own timeout
            var builder = LambdaClient.builder()
                    .region(region)
                    .credentialsProvider(credentials)
                    .httpClient(UrlConnectionHttpClient.builder()
                            .connectionTimeout(Duration.ofSeconds(2))
                            .socketTimeout(HandlerSettings.MAX_TIMEOUT.plusSeconds(1))
                            .build())
                    .overrideConfiguration(override(Tracing.enabled(env)).toBuilder()
                            .retryStrategy(AwsRetryStrategy.doNotRetry())
                            .apiCallAttemptTimeout(HandlerSettings.MAX_TIMEOUT)
                            .apiCallTimeout(HandlerSettings.MAX_TIMEOUT)
                            .build());
            env.optional("LAMBDA_ENDPOINT").ifPresent(e -> builder.endpointOverride(uri("LAMBDA_ENDPOINT", e)));
            return new LambdaEventHandler(builder.build(), function);
        });
    }

    /**
     * Lifecycle events to the bus {@code EVENT_BUS_NAME} (at {@code EVENTS_ENDPOINT} when set: the local gateway's),
     * {@code lost} told of events that could not be put; none without a bus.
     */
    public LifecycleEvents lifecycleEvents(IntConsumer lost, ExecutionInterceptor... interceptors) {
        return env.optional("EVENT_BUS_NAME")
                .<LifecycleEvents>map(bus -> {
                    var builder = EventBridgeClient.builder()
                            .region(region)
                            .credentialsProvider(credentials)
                            .httpClient(blockingHttp())
                            .overrideConfiguration(override(interceptors));
                    env.optional("EVENTS_ENDPOINT").ifPresent(e -> builder.endpointOverride(uri("EVENTS_ENDPOINT", e)));
                    return new EventBridgeEvents(builder.build(), bus, Duration.ofMillis(100), lost);
                })
                .orElse(LifecycleEvents.NONE);
    }

    /** The clients' timeouts and retries, tracing when enabled, then {@code interceptors}. */
    private ClientOverrideConfiguration override(ExecutionInterceptor... interceptors) {
        ClientOverrideConfiguration.Builder override = override(Tracing.enabled(env)).toBuilder();
        for (ExecutionInterceptor interceptor : interceptors) {
            override.addExecutionInterceptor(interceptor);
        }
        return override.build();
    }

    /** The JDK's URL connection client: the least to load and start for a function's few blocking calls. */
    private static SdkHttpClient blockingHttp() {
        return UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(2))
                .socketTimeout(Duration.ofSeconds(5))
                .build();
    }

    private static ClientOverrideConfiguration override(boolean traced) {
        ClientOverrideConfiguration.Builder override = ClientOverrideConfiguration.builder()
                .retryStrategy(RetryMode.STANDARD)
                .apiCallAttemptTimeout(STORE_ATTEMPT_TIMEOUT)
                .apiCallTimeout(STORE_CALL_TIMEOUT);
        if (traced) {
            override.addExecutionInterceptor(Tracing.interceptor());
        }
        return override.build();
    }

    /**
     * Connections reached through {@code MANAGEMENT_API_ENDPOINT}: SigV4-signed posts on the SDK's Netty client, at
     * most {@code maxInFlight} at once, 3 s per post. Nothing retries here: {@link ConnectionCalls} retries 429 and
     * 5xx itself, within the time budget.
     */
    public Connections connections(int maxInFlight) {
        URI endpoint = uri("MANAGEMENT_API_ENDPOINT", env.required("MANAGEMENT_API_ENDPOINT"));
        return new SignedConnections(
                SignedConnections.nettyClient(maxInFlight, Duration.ofSeconds(2), Duration.ofSeconds(3)),
                endpoint,
                credentials,
                region,
                Duration.ofSeconds(3));
    }

    /** Calls to {@code connections} with {@code settings}, pruning gone ones from {@code store}. */
    public static ConnectionCalls calls(MembershipStore store, Connections connections, FanoutSettings settings) {
        return calls(store, connections, settings, Clock.systemUTC());
    }

    /** As {@link #calls(MembershipStore, Connections, FanoutSettings)}, connect windows judged by {@code clock}. */
    public static ConnectionCalls calls(
            MembershipStore store, Connections connections, FanoutSettings settings, Clock clock) {
        return calls(store, connections, settings, clock, LifecycleEvents.NONE);
    }

    /** As {@link #calls(MembershipStore, Connections, FanoutSettings, Clock)}, each prune put to {@code events}. */
    public static ConnectionCalls calls(
            MembershipStore store,
            Connections connections,
            FanoutSettings settings,
            Clock clock,
            LifecycleEvents events) {
        return new ConnectionCalls(
                connections,
                store,
                settings,
                Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("fanout-retry")),
                Executors.newFixedThreadPool(4, DaemonThreads.named("fanout-prune")),
                clock,
                events);
    }

    private static AwsCredentialsProvider credentialsFrom(Environment env) {
        Optional<String> key = env.optional("AWS_ACCESS_KEY_ID");
        Optional<String> secret = env.optional("AWS_SECRET_ACCESS_KEY");
        if (key.isPresent() && secret.isPresent()) {
            Optional<String> session = env.optional("AWS_SESSION_TOKEN");
            AwsCredentials credentials = session.isPresent()
                    ? AwsSessionCredentials.create(key.get(), secret.get(), session.get())
                    : AwsBasicCredentials.create(key.get(), secret.get());
            return StaticCredentialsProvider.create(credentials);
        }
        return DefaultCredentialsProvider.builder().build();
    }

    private static URI uri(String variable, String value) {
        try {
            URI uri = new URI(value);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new URISyntaxException(value, "scheme and host required");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ConfigurationException("environment variable " + variable + " must be a URL like "
                    + "https://host/path, was '" + value + "'");
        }
    }
}
