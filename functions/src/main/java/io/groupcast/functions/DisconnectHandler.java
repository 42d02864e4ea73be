package io.groupcast.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import io.groupcast.core.AwsClients;
import io.groupcast.core.ConnectionId;
import io.groupcast.core.Environment;
import io.groupcast.core.MembershipStore;
import io.groupcast.core.RequestException;
import io.groupcast.core.StoreUnavailableException;
import java.util.Map;
import java.util.Objects;

/** {@code $disconnect}: removes every membership of the connection; running it twice is harmless. */
public final class DisconnectHandler implements RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> {
    private final MembershipStore store;

    /** Wires the store from the process environment (Lambda). */
    public DisconnectHandler() {
        this(System.getenv());
        Priming.register("disconnect", this::prime);
    }

    /** Wires the store from the given environment (local gateway). */
    public DisconnectHandler(Map<String, String> env) {
        this(AwsClients.from(Log.configured(env)).membershipStore());
    }

    DisconnectHandler(MembershipStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** The store's read path, on a partition no one writes. */
    void prime() {
        Priming.readStore(store);
    }

    @Override
    public APIGatewayV2WebSocketResponse handleRequest(APIGatewayV2WebSocketEvent event, Context context) {
        try {
            ConnectionId connection = WebSocketRequests.connectionId(event);
            int groups = store.disconnect(connection);
            Log.info(context, "disconnected", Map.of("connectionId", connection, "groups", groups,
                    "route", "$disconnect", "outcome", "disconnected"));
            Metrics.count(context, Map.of(Metrics.CONNECTIONS_CLOSED, 1));
            return Responses.webSocket(200);
        } catch (MalformedEventException | RequestException e) {
            Log.error(context, "disconnect ignored: malformed event", e, Map.of());
            return Responses.webSocket(400);
        } catch (StoreUnavailableException e) {
            Log.error(context, "disconnect failed: store unavailable; TTL removes the memberships", e,
                    Map.of("route", "$disconnect"));
            Metrics.count(context, Map.of(Metrics.STORE_ERRORS, 1));
            return Responses.webSocket(500);
        }
    }
}
