package io.groupcast.bench;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.groupcast.core.delivery.Connections;
import io.groupcast.core.store.dynamodb.DynamoDbTable;
import io.groupcast.functions.AuthorizeHandler;
import io.groupcast.functions.ServerApiHandler;
import io.groupcast.functions.WebSocketHandler;
import io.groupcast.functions.Wiring;
import io.groupcast.functions.WiringBuilder;
import java.net.URI;
import java.util.Map;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The cold-start baseline: the same handlers and core, with SDK clients as most code builds them, the SDK's defaults
 * (default HTTP clients, default region and credential provider chains, default retries); only the endpoints are set,
 * to reach the local dynalite and management API.
 */
public final class BaselineHandlers {
    private BaselineHandlers() {}

    /** The handler of {@code handlerClass} wired the default way. */
    public static RequestHandler<?, ?> create(String handlerClass) {
        Map<String, String> env = System.getenv();
        WiringBuilder wiring = Wiring.builder(env);
        if (env.containsKey("TABLE_NAME")) {
            wiring.with(
                    DynamoDbTable.class,
                    new DynamoDbTable(
                            DynamoDbClient.builder()
                                    .endpointOverride(URI.create(env.get("DYNAMODB_ENDPOINT")))
                                    .build(),
                            env.get("TABLE_NAME")));
        }
        if (env.containsKey("MANAGEMENT_API_ENDPOINT")) {
            wiring.with(
                    Connections.class,
                    new SdkConnections(ApiGatewayManagementApiAsyncClient.builder()
                            .endpointOverride(URI.create(env.get("MANAGEMENT_API_ENDPOINT")))
                            .build()));
        }
        Wiring wired = wiring.build();
        return switch (handlerClass) {
            case "io.groupcast.functions.AuthorizeHandler" -> new AuthorizeHandler(wired);
            case "io.groupcast.functions.WebSocketHandler" -> new WebSocketHandler(wired);
            case "io.groupcast.functions.ServerApiHandler" -> new ServerApiHandler(wired);
            default -> throw new IllegalArgumentException("no baseline for " + handlerClass);
        };
    }
}
