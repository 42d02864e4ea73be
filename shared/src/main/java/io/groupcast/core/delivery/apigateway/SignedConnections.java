package io.groupcast.core.delivery.apigateway;

import io.groupcast.core.delivery.Connections;
import io.groupcast.core.delivery.PostOutcome;
import io.groupcast.core.model.ConnectionId;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.async.AsyncExecuteRequest;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.async.SdkAsyncHttpResponseHandler;
import software.amazon.awssdk.http.async.SdkHttpContentPublisher;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * {@link Connections} as the API Gateway Management API's {@code POST /{stage}/@connections/{id}}: signed by
 * {@link PostSigner} and sent on the AWS SDK's Netty HTTP client, without the SDK's service-client pipeline
 * (marshalling, interceptors, endpoint rules, a fresh signing key per request). BENCHMARKS.md measures it against the
 * SDK's {@code ApiGatewayManagementApiAsyncClient} on the same Netty client: a fan-out of thousands of posts on one or
 * two vCPUs is bound by CPU per post, and this is where it went. Outcomes follow the status: 2xx delivered, 410 gone,
 * 429 and 5xx retryable, anything else, transport errors and timeouts failed.
 */
public final class SignedConnections implements Connections, AutoCloseable {
    private final SdkAsyncHttpClient http;
    private final String scheme;
    private final String host;
    private final int port;
    private final String hostHeader;
    private final String basePath;
    private final AwsCredentialsProvider credentials;
    private final Duration timeout;
    private final PostSigner signer;

    /**
     * @param endpoint the stage's management endpoint, {@code https://{api}.execute-api.{region}.amazonaws.com/{stage}}
     * @param timeout  per post, connecting included; a post that takes longer counts as failed
     */
    public SignedConnections(
            SdkAsyncHttpClient http,
            URI endpoint,
            AwsCredentialsProvider credentials,
            Region region,
            Duration timeout) {
        this.http = Objects.requireNonNull(http, "http");
        this.scheme = endpoint.getScheme();
        this.host = endpoint.getHost();
        int defaultPort = "https".equals(scheme) ? 443 : 80;
        this.port = endpoint.getPort() == -1 ? defaultPort : endpoint.getPort();
        this.hostHeader = port == defaultPort ? host : host + ":" + port;
        String path = endpoint.getRawPath() == null ? "" : endpoint.getRawPath();
        this.basePath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.signer = new PostSigner(region.id());
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** The SDK's Netty client with room for {@code maxConcurrency} posts at once, each on its own connection. */
    public static SdkAsyncHttpClient nettyClient(int maxConcurrency, Duration connectTimeout, Duration readTimeout) {
        return NettyNioAsyncHttpClient.builder()
                .maxConcurrency(maxConcurrency)
                .maxPendingConnectionAcquires(Math.max(10_000, maxConcurrency * 4))
                .connectionTimeout(connectTimeout)
                .connectionAcquisitionTimeout(readTimeout)
                .readTimeout(readTimeout)
                .writeTimeout(readTimeout)
                .build();
    }

    @Override
    public CompletableFuture<PostOutcome> post(ConnectionId connection, byte[] payload) {
        return send(SdkHttpMethod.POST, connection, payload);
    }

    /** Signs and builds a post (credentials resolved, signing key derived) and drops it. */
    @Override
    public void prime() {
        request(SdkHttpMethod.POST, ConnectionId.of("groupcast-priming="), "{}".getBytes(StandardCharsets.UTF_8));
    }

    /** {@code DELETE @connections/{id}}: 204 closed, 410 already gone; anything else failed. */
    @Override
    public CompletableFuture<PostOutcome> close(ConnectionId connection) {
        return send(SdkHttpMethod.DELETE, connection, new byte[0]);
    }

    /** {@code GET @connections/{id}}: 200 open, 410 not open; anything else failed. */
    @Override
    public CompletableFuture<PostOutcome> check(ConnectionId connection) {
        return send(SdkHttpMethod.GET, connection, new byte[0]);
    }

    /** One signed request; its outcome from the status, {@code FAILED} on any error or after the timeout. */
    private CompletableFuture<PostOutcome> send(SdkHttpMethod method, ConnectionId connection, byte[] payload) {
        CompletableFuture<PostOutcome> outcome = new CompletableFuture<>();
        try {
            http.execute(AsyncExecuteRequest.builder()
                            .request(request(method, connection, payload))
                            .requestContentPublisher(new BytesPublisher(payload))
                            .responseHandler(new StatusHandler(outcome))
                            .build())
                    .whenComplete((done, error) -> {
                        if (error != null) {
                            outcome.complete(outcomeOf(error));
                        }
                    });
        } catch (RuntimeException e) {
            outcome.complete(PostOutcome.FAILED);
        }
        return outcome.completeOnTimeout(PostOutcome.TIMED_OUT, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private SdkHttpFullRequest request(SdkHttpMethod method, ConnectionId connection, byte[] payload) {
        String path = basePath + "/@connections/" + SdkHttpUtils.urlEncode(connection.value());
        PostSigner.Signature signature =
                signer.sign(method.name(), credentials.resolveCredentials(), hostHeader, path, payload, Instant.now());
        SdkHttpFullRequest.Builder request = SdkHttpFullRequest.builder()
                .method(method)
                .protocol(scheme)
                .host(host)
                .port(port)
                .encodedPath(path)
                .putHeader("Host", hostHeader)
                .putHeader("Content-Type", "application/json")
                .putHeader("Content-Length", Integer.toString(payload.length))
                .putHeader("X-Amz-Date", signature.amzDate())
                .putHeader("X-Amz-Content-Sha256", signature.payloadHash())
                .putHeader("Authorization", signature.authorization());
        if (signature.securityToken() != null) {
            request.putHeader("X-Amz-Security-Token", signature.securityToken());
        }
        return request.build();
    }

    /** A transport error: timed out (the post may have arrived) or failed. */
    static PostOutcome outcomeOf(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause.getClass().getSimpleName().contains("Timeout")) {
                return PostOutcome.TIMED_OUT;
            }
        }
        return PostOutcome.FAILED;
    }

    /** The outcome of an answer's status: 2xx delivered, 410 gone, 429 and 5xx retryable, 403 and 413 by name. */
    static PostOutcome outcomeOf(int status) {
        if (status >= 200 && status < 300) {
            return PostOutcome.DELIVERED;
        }
        return switch (status) {
            case 410 -> PostOutcome.GONE;
            case 429 -> PostOutcome.THROTTLED;
            case 403 -> PostOutcome.FORBIDDEN;
            case 413 -> PostOutcome.TOO_LARGE;
            default -> status >= 500 ? PostOutcome.SERVER_ERROR : PostOutcome.FAILED;
        };
    }

    @Override
    public void close() {
        http.close();
    }

    /** The request body: one buffer, then done. */
    private record BytesPublisher(byte[] bytes) implements SdkHttpContentPublisher {
        @Override
        public Optional<Long> contentLength() {
            return Optional.of((long) bytes.length);
        }

        @Override
        public void subscribe(Subscriber<? super ByteBuffer> subscriber) {
            subscriber.onSubscribe(new OneBuffer(bytes, subscriber));
        }
    }

    /** A subscription that hands over one buffer on the first demand, then completes. */
    private static final class OneBuffer implements Subscription {
        private final byte[] bytes;
        private final Subscriber<? super ByteBuffer> subscriber;
        private boolean done;

        OneBuffer(byte[] bytes, Subscriber<? super ByteBuffer> subscriber) {
            this.bytes = bytes;
            this.subscriber = subscriber;
        }

        @Override
        public synchronized void request(long n) {
            if (done) {
                return;
            }
            done = true;
            if (n <= 0) {
                subscriber.onError(new IllegalArgumentException("demand must be positive, was " + n));
            } else {
                subscriber.onNext(ByteBuffer.wrap(bytes).asReadOnlyBuffer());
                subscriber.onComplete();
            }
        }

        @Override
        public synchronized void cancel() {
            done = true;
        }
    }

    /** Completes the outcome from the status line once the (small) answer body has been drained. */
    private static final class StatusHandler implements SdkAsyncHttpResponseHandler {
        private final CompletableFuture<PostOutcome> outcome;
        private volatile int status;

        StatusHandler(CompletableFuture<PostOutcome> outcome) {
            this.outcome = outcome;
        }

        @Override
        public void onHeaders(SdkHttpResponse headers) {
            status = headers.statusCode();
        }

        @Override
        public void onStream(Publisher<ByteBuffer> stream) {
            stream.subscribe(new Subscriber<>() {
                @Override
                public void onSubscribe(Subscription subscription) {
                    subscription.request(Long.MAX_VALUE);
                }

                @Override
                public void onNext(ByteBuffer buffer) {
                    // the body of an answer is not needed: the status says it all
                }

                @Override
                public void onError(Throwable error) {
                    outcome.complete(PostOutcome.FAILED);
                }

                @Override
                public void onComplete() {
                    outcome.complete(outcomeOf(status));
                }
            });
        }

        @Override
        public void onError(Throwable error) {
            outcome.complete(PostOutcome.FAILED);
        }
    }
}
