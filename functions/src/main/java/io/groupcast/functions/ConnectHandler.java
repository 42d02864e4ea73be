package io.groupcast.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import io.groupcast.core.AwsClients;
import io.groupcast.core.Connection;
import io.groupcast.core.Environment;
import io.groupcast.core.Groups;
import io.groupcast.core.MembershipStore;
import io.groupcast.core.RequestException;
import io.groupcast.core.StoreUnavailableException;
import java.util.Map;
import java.util.Objects;

/** {@code $connect}: adds the connection to its user's group; 500 (connection refused) when that fails. */
public final class ConnectHandler implements RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> {
    private final MembershipStore store;

    /** Wires the store from the process environment (Lambda). */
    public ConnectHandler() {
        this(System.getenv());
        Priming.register("connect", this::prime);
    }

    /** Wires the store from the given environment (local gateway). */
    public ConnectHandler(Map<String, String> env) {
        this(AwsClients.from(Log.configured(env)).membershipStore());
    }

    ConnectHandler(MembershipStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** The store's read path, on a partition no one writes. */
    void prime() {
        Priming.readStore(store);
    }

    @Override
    public APIGatewayV2WebSocketResponse handleRequest(APIGatewayV2WebSocketEvent event, Context context) {
        try {
            Connection connection = WebSocketRequests.connection(event);
            int linked = Groups.connect(store, connection, java.time.Instant.now());
            Log.info(context, "connected", Map.of("connectionId", connection.id(), "userId", connection.user(),
                    "linkedGroups", linked, "route", "$connect", "outcome", "connected"));
            Metrics.count(context, Map.of(Metrics.CONNECTIONS_OPENED, 1));
            return Responses.webSocket(200);
        } catch (MalformedEventException | RequestException e) {
            Log.error(context, "connect refused: malformed event", e, Map.of());
            return Responses.webSocket(400);
        } catch (StoreUnavailableException e) {
            Log.error(context, "connect failed: store unavailable", e, Map.of("route", "$connect"));
            Metrics.count(context, Map.of(Metrics.STORE_ERRORS, 1));
            return Responses.webSocket(500);
        }
    }
}
