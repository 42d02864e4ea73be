package io.groupcast.bench;

import io.groupcast.core.delivery.Connections;
import io.groupcast.core.delivery.PostOutcome;
import io.groupcast.core.model.ConnectionId;
import java.net.URI;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiAsyncClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.GoneException;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.LimitExceededException;

/**
 * {@link Connections} through the AWS SDK's asynchronous API Gateway Management API client: what Groupcast measured
 * its own poster against, and what the cold-start baseline uses.
 */
public final class SdkConnections implements Connections {
    private final ApiGatewayManagementApiAsyncClient client;

    public SdkConnections(ApiGatewayManagementApiAsyncClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    /** The SDK's async client as most code builds it, with Netty allowing {@code maxConcurrency} connections. */
    static SdkConnections create(URI endpoint, int maxConcurrency) {
        return new SdkConnections(ApiGatewayManagementApiAsyncClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")))
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().maxConcurrency(maxConcurrency))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build());
    }

    @Override
    public CompletableFuture<PostOutcome> post(ConnectionId connection, byte[] payload) {
        CompletableFuture<?> call;
        try {
            call = client.postToConnection(
                    b -> b.connectionId(connection.value()).data(SdkBytes.fromByteArrayUnsafe(payload)));
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        return call.handle((response, error) -> error == null ? PostOutcome.DELIVERED : outcomeOf(error));
    }

    /**
     * 410 is gone; 429 and 5xx are retryable (API Gateway delivered nothing); everything else, timeouts included
     * (the post may or may not have arrived), is failed and not tried again.
     */
    static PostOutcome outcomeOf(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof GoneException) {
            return PostOutcome.GONE;
        }
        if (cause instanceof LimitExceededException) {
            return PostOutcome.THROTTLED;
        }
        if (cause instanceof AwsServiceException service
                && (service.statusCode() == 429 || service.statusCode() >= 500)) {
            return service.statusCode() == 429 ? PostOutcome.THROTTLED : PostOutcome.SERVER_ERROR;
        }
        return PostOutcome.FAILED;
    }
}
