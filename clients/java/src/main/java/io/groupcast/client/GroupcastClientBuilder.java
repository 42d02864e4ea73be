package io.groupcast.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * Builds a {@link GroupcastClient}. Only {@link #endpoint} is required. What the builder is given (credentials, HTTP
 * client, executor) its client never closes; what it creates in their place, the client closes.
 */
public final class GroupcastClientBuilder {
    private static final Pattern EXECUTE_API_HOST =
            Pattern.compile("[^.]+\\.execute-api\\.([a-z0-9-]+)\\.amazonaws\\.com(\\.cn)?");

    private URI endpoint;
    private Region region;
    private AwsCredentialsProvider credentials;
    private SdkHttpClient http;
    private ObjectMapper objectMapper;
    private Executor executor;
    private int maxRetries = 3;
    private Duration baseDelay = Duration.ofMillis(100);
    private Duration maxDelay = Duration.ofSeconds(20);
    private Duration callTimeout;
    private Duration attemptTimeout;
    private String hs256Secret;
    private ClientTokens.Claims claims = ClientTokens.Claims.DEFAULT;

    GroupcastClientBuilder() {}

    /** The stack's {@code ServerApiUrl} output (locally {@code http://localhost:3000}). */
    public GroupcastClientBuilder endpoint(URI endpoint) {
        if (!"https".equals(endpoint.getScheme()) && !"http".equals(endpoint.getScheme())) {
            throw new IllegalArgumentException("the endpoint must be an http(s) URL, not " + endpoint);
        }
        this.endpoint = endpoint;
        return this;
    }

    /** The stack's region, which requests are signed for; by default the one in an {@code execute-api} host name. */
    public GroupcastClientBuilder region(Region region) {
        this.region = Objects.requireNonNull(region, "region");
        return this;
    }

    /** The credentials to sign with; the AWS SDK's default chain (created, and closed, by the client) if not given. */
    public GroupcastClientBuilder credentialsProvider(AwsCredentialsProvider credentials) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        return this;
    }

    /** An SDK HTTP client to send with (closed by its owner); a URL-connection client of its own by default. */
    public GroupcastClientBuilder httpClient(SdkHttpClient http) {
        this.http = Objects.requireNonNull(http, "http");
        return this;
    }

    /** The Jackson mapper that turns message objects into JSON (your modules, naming); a plain one by default. */
    public GroupcastClientBuilder objectMapper(ObjectMapper objectMapper) {
        this.objectMapper = Objects.requireNonNull(objectMapper, "objectMapper");
        return this;
    }

    /** Where {@link GroupcastClient#sendAsync} runs (not shut down by the client); a pool of its own by default. */
    public GroupcastClientBuilder executor(Executor executor) {
        this.executor = Objects.requireNonNull(executor, "executor");
        return this;
    }

    /** Retries after a first attempt, 0 to 10; default 3. */
    public GroupcastClientBuilder maxRetries(int maxRetries) {
        if (maxRetries < 0 || maxRetries > 10) {
            throw new IllegalArgumentException("maxRetries must be 0 to 10, was " + maxRetries);
        }
        this.maxRetries = maxRetries;
        return this;
    }

    /** The first retry waits up to this long (full jitter), each next one up to twice as long; default 100 ms. */
    public GroupcastClientBuilder retryBaseDelay(Duration baseDelay) {
        this.baseDelay = nonNegative(baseDelay, "retryBaseDelay");
        return this;
    }

    /** The longest wait between attempts, also for a {@code Retry-After} (longer ones are not waited); default 20 s. */
    public GroupcastClientBuilder retryMaxDelay(Duration maxDelay) {
        this.maxDelay = nonNegative(maxDelay, "retryMaxDelay");
        return this;
    }

    /** How long a call may take, retries and waits included (the SDK's {@code apiCallTimeout}); no limit by default. */
    public GroupcastClientBuilder callTimeout(Duration callTimeout) {
        this.callTimeout = positive(callTimeout, "callTimeout");
        return this;
    }

    /** How long one attempt may take before it is aborted and retried ({@code apiCallAttemptTimeout}); no limit. */
    public GroupcastClientBuilder attemptTimeout(Duration attemptTimeout) {
        this.attemptTimeout = positive(attemptTimeout, "attemptTimeout");
        return this;
    }

    /** The stack's HS256 secret ({@code JwtSecret}, or the value behind {@code JwtSecretArn}), to mint tokens. */
    public GroupcastClientBuilder hs256Secret(String secret) {
        this.hs256Secret = Objects.requireNonNull(secret, "secret");
        return this;
    }

    /** The claim the stack reads the user id from ({@code UserIdClaim}); default {@code sub}. */
    public GroupcastClientBuilder userIdClaim(String claim) {
        claims = new ClientTokens.Claims(
                name(claim, "userIdClaim"), claims.rolesClaim(), claims.issuer(), claims.audience());
        return this;
    }

    /** The claim the stack reads roles from ({@code RolesClaim}); default {@code roles}. */
    public GroupcastClientBuilder rolesClaim(String claim) {
        claims = new ClientTokens.Claims(
                claims.userIdClaim(), name(claim, "rolesClaim"), claims.issuer(), claims.audience());
        return this;
    }

    /** The {@code iss} of minted tokens, when the stack checks one ({@code JwtIssuer}). */
    public GroupcastClientBuilder tokenIssuer(String issuer) {
        claims = new ClientTokens.Claims(
                claims.userIdClaim(), claims.rolesClaim(), Optional.of(name(issuer, "tokenIssuer")), claims.audience());
        return this;
    }

    /** The {@code aud} of minted tokens, when the stack checks one ({@code JwtAudience}). */
    public GroupcastClientBuilder tokenAudience(String audience) {
        claims = new ClientTokens.Claims(
                claims.userIdClaim(),
                claims.rolesClaim(),
                claims.issuer(),
                Optional.of(name(audience, "tokenAudience")));
        return this;
    }

    /** The client; the region must be given or readable from the endpoint's host name. */
    public GroupcastClient build() {
        Objects.requireNonNull(endpoint, "endpoint (the stack's ServerApiUrl)");
        Region signingRegion = region != null ? region : regionOf(endpoint);
        List<GroupcastClient.Created> created = new ArrayList<>();
        AwsCredentialsProvider signing = credentials != null
                ? credentials
                : own(
                        created,
                        "credentials provider",
                        DefaultCredentialsProvider.builder().build());
        SdkHttpClient sending = http != null ? http : own(created, "HTTP client", UrlConnectionHttpClient.create());
        ScheduledExecutorService timer = null;
        if (callTimeout != null || attemptTimeout != null) {
            timer = Executors.newSingleThreadScheduledExecutor(daemon("groupcast-client-timeouts"));
            own(created, "timeout timer", timer::shutdownNow);
        }
        Executor async = executor;
        if (async == null) {
            ExecutorService pool = Executors.newCachedThreadPool(daemon("groupcast-client-async"));
            own(created, "async executor", pool::shutdown);
            async = pool;
        }
        Transport transport = new Transport(endpoint, signingRegion, signing, sending, timer);
        Retries.Policy policy = new Retries.Policy(
                maxRetries, baseDelay, maxDelay, Optional.ofNullable(callTimeout), Optional.ofNullable(attemptTimeout));
        Optional<ClientTokens> tokens =
                Optional.ofNullable(hs256Secret).map(secret -> new ClientTokens(secret, claims, Clock.systemUTC()));
        return new GroupcastClient(
                new Retries(transport, policy),
                objectMapper != null ? objectMapper : new ObjectMapper(),
                tokens,
                async,
                created);
    }

    /** The region of an {@code {api}.execute-api.{region}.amazonaws.com} host name. */
    static Region regionOf(URI endpoint) {
        Matcher host = EXECUTE_API_HOST.matcher(String.valueOf(endpoint.getHost()));
        if (!host.matches()) {
            throw new IllegalStateException("no region: give .region(...), as the endpoint's host " + endpoint.getHost()
                    + " is not {api}.execute-api.{region}.amazonaws.com");
        }
        return Region.of(host.group(1));
    }

    private static <T extends AutoCloseable> T own(List<GroupcastClient.Created> created, String what, T resource) {
        created.add(new GroupcastClient.Created(what, resource));
        return resource;
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private static Duration nonNegative(Duration delay, String what) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException(what + " cannot be negative, was " + delay);
        }
        return delay;
    }

    private static Duration positive(Duration timeout, String what) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, was " + timeout);
        }
        return timeout;
    }

    private static String name(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " cannot be blank");
        }
        return value;
    }
}
