package io.groupcast.core;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiAsyncClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.GoneException;

/** {@link Connections} through the AWS SDK's asynchronous API Gateway Management API client. */
public final class ManagementApiConnections implements Connections {
    private final ApiGatewayManagementApiAsyncClient client;

    public ManagementApiConnections(ApiGatewayManagementApiAsyncClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    @Override
    public CompletableFuture<PostOutcome> post(ConnectionId connection, byte[] payload) {
        CompletableFuture<?> call;
        try {
            call = client.postToConnection(b -> b.connectionId(connection.value()).data(SdkBytes.fromByteArrayUnsafe(payload)));
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        return call.handle((response, error) -> error == null ? PostOutcome.DELIVERED : outcomeOf(error));
    }

    private static PostOutcome outcomeOf(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause instanceof GoneException ? PostOutcome.GONE : PostOutcome.FAILED;
    }
}
