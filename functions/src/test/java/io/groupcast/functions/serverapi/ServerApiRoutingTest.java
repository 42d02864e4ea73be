package io.groupcast.functions.serverapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.groupcast.core.delivery.Connections;
import io.groupcast.core.model.Connection;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.Json;
import io.groupcast.core.model.UserId;
import io.groupcast.core.testing.InMemoryMembershipStore;
import io.groupcast.core.testing.InMemoryStores;
import io.groupcast.core.testing.RecordingConnections;
import io.groupcast.functions.ServerApiHandler;
import io.groupcast.functions.TestWirings;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The server API routes on the route key and path parameters API Gateway sends, never on the raw path. */
class ServerApiRoutingTest {
    private final InMemoryStores stores = new InMemoryStores();
    private final InMemoryMembershipStore store = stores.memberships();
    private final RecordingConnections connections = new RecordingConnections();
    private final ServerApiHandler api = new ServerApiHandler(TestWirings.inMemory(Map.of(), stores)
            .with(Connections.class, connections)
            .build());

    @Test
    void shouldRouteOnTheRouteKey_whateverStageOrBasePathTheRawPathCarries() {
        store.connect(Connection.opened(ConnectionId.of("k1="), UserId.of("kevin"), Instant.now()));

        APIGatewayV2HTTPResponse answer =
                call("POST /notify", "/v1/notify", Map.of(), "{\"user\":\"kevin\",\"message\":1}");

        assertThat(answer.getStatusCode()).isEqualTo(200);
        assertThat(connections.frames(ConnectionId.of("k1="))).containsExactly("1");
    }

    @Test
    void shouldTakeDecodedPathParameters_fromApiGateway() {
        APIGatewayV2HTTPResponse answer =
                call("GET /groups/{group}", "/prod/groups/room%2B1", Map.of("group", "room+1"), null);

        assertThat(Json.parse(answer.getBody()).path("group").asText()).isEqualTo("room+1");
    }

    @Test
    void shouldAnswer404_forAnUnknownRouteKey() {
        assertThat(error(call("GET /nothing", "/nothing", Map.of(), null))).isEqualTo("404 not_found");
    }

    @Test
    void shouldAnswer405_forAKnownPathWithAnotherMethod() {
        APIGatewayV2HTTPResponse answer = call("GET /notify", "/notify", Map.of(), null);

        assertThat(error(answer)).isEqualTo("405 method_not_allowed");
        assertThat(Json.parse(answer.getBody()).path("message").asText()).isEqualTo("/notify answers POST, not GET");
    }

    @Test
    void shouldAnswer400_whenAPathParameterIsMissing() {
        APIGatewayV2HTTPResponse answer = call("GET /groups/{group}", "/groups/x", Map.of(), null);

        assertThat(error(answer)).isEqualTo("400 invalid_path");
        assertThat(Json.parse(answer.getBody()).path("message").asText()).isEqualTo("the path has no {group}");
    }

    @Test
    void shouldKeepEveryRouteKeyOfTheTable_once() {
        assertThat(ServerApi.routeKeys()).hasSize(ServerRoute.values().length).contains("POST /notify");
    }

    private APIGatewayV2HTTPResponse call(
            String routeKey, String rawPath, Map<String, String> parameters, String body) {
        APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
        event.setRouteKey(routeKey);
        event.setRawPath(rawPath);
        event.setPathParameters(parameters);
        event.setBody(body);
        return api.handleRequest(event, null);
    }

    private static String error(APIGatewayV2HTTPResponse answer) {
        return answer.getStatusCode() + " "
                + Json.parse(answer.getBody()).path("error").asText();
    }
}
