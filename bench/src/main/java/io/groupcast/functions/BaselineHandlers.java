package io.groupcast.functions;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.groupcast.core.BoundedFanout;
import io.groupcast.core.ClientActions;
import io.groupcast.core.DynamoDbMembershipStore;
import io.groupcast.core.Environment;
import io.groupcast.core.FanoutSettings;
import io.groupcast.bench.SdkConnections;
import io.groupcast.core.MembershipStore;
import io.groupcast.core.Notifier;
import io.groupcast.core.TokenSettings;
import io.groupcast.core.TokenVerifier;
import java.net.URI;
import java.time.Clock;
import java.util.concurrent.Executors;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The cold-start baseline: the same handlers and core, with SDK clients as most code builds them, the SDK's defaults
 * (default HTTP clients, default region and credential provider chains, default retries); only the endpoints are set,
 * to reach the local dynalite and management API.
 */
public final class BaselineHandlers {
    private BaselineHandlers() {
    }

    /** The handler of {@code handlerClass} wired the default way. */
    public static RequestHandler<?, ?> create(String handlerClass) {
        Environment env = Environment.of(System.getenv());
        return switch (handlerClass) {
            case "io.groupcast.functions.AuthorizeHandler" -> new AuthorizeHandler(new TokenVerifier(TokenSettings.from(env)));
            case "io.groupcast.functions.ConnectHandler" -> new ConnectHandler(store(env));
            case "io.groupcast.functions.DisconnectHandler" -> new DisconnectHandler(store(env));
            case "io.groupcast.functions.MessageHandler" -> new MessageHandler(new ClientActions(store(env), connections(env)));
            case "io.groupcast.functions.NotifyHandler", "io.groupcast.functions.ServerApiHandler" -> {
                MembershipStore store = store(env);
                SdkConnections connections = connections(env);
                NotifyHandler notify = new NotifyHandler(new Notifier(store, new BoundedFanout(connections, store,
                        FanoutSettings.from(env), Executors.newSingleThreadScheduledExecutor(),
                        Executors.newFixedThreadPool(4)), Clock.systemUTC()));
                yield handlerClass.endsWith("NotifyHandler") ? notify
                        : new ServerApiHandler(notify, new io.groupcast.core.Groups(store, connections, Clock.systemUTC()));
            }
            default -> throw new IllegalArgumentException("no baseline for " + handlerClass);
        };
    }

    private static MembershipStore store(Environment env) {
        DynamoDbClient client = DynamoDbClient.builder()
                .endpointOverride(URI.create(env.required("DYNAMODB_ENDPOINT")))
                .build();
        return new DynamoDbMembershipStore(client, env.required("TABLE_NAME"));
    }

    private static SdkConnections connections(Environment env) {
        return new SdkConnections(ApiGatewayManagementApiAsyncClient.builder()
                .endpointOverride(URI.create(env.required("MANAGEMENT_API_ENDPOINT")))
                .build());
    }
}
