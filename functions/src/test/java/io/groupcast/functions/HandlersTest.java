package io.groupcast.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import io.groupcast.core.delivery.Connections;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.Json;
import io.groupcast.core.store.MembershipStore;
import io.groupcast.core.testing.InMemoryMembershipStore;
import io.groupcast.core.testing.InMemoryStores;
import io.groupcast.core.testing.NotifyAnswers;
import io.groupcast.core.testing.RecordingConnections;
import io.groupcast.core.testing.TestTokens;
import io.groupcast.standins.ProjectRoot;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HandlersTest {
    private final InMemoryStores stores = new InMemoryStores();
    private final InMemoryMembershipStore store = stores.memberships();
    private final RecordingConnections connections = new RecordingConnections();
    private final Wiring wiring = TestWirings.inMemory(Map.of("JWT_SECRET", TestTokens.SECRET), stores)
            .with(Connections.class, connections)
            .build();
    private final AuthorizeHandler authorize = new AuthorizeHandler(wiring);
    private final ServerApiHandler notify = new ServerApiHandler(wiring);

    @Test
    void shouldAllowWithTheUserIdInTheContext_whenTheQueryTokenIsValid() {
        APIGatewayCustomAuthorizerEvent event =
                EventLoader.loadEvent(ProjectRoot.event("authorize.json"), APIGatewayCustomAuthorizerEvent.class);
        event.getQueryStringParameters().put("token", TestTokens.hs256("kevin"));

        IamPolicyResponse answer = authorize.handleRequest(event, null);

        assertThat(answer.getPrincipalId()).isEqualTo("kevin");
        assertThat(answer.getContext()).containsEntry("userId", "kevin");
        assertThat(effect(answer)).isEqualTo("Allow");
        assertThat(Json.mapper()
                        .valueToTree(answer.getPolicyDocument())
                        .path("Statement")
                        .path(0)
                        .path("Resource")
                        .path(0)
                        .asText())
                .isEqualTo(event.getMethodArn());
    }

    @Test
    void shouldAcceptABearerHeader_andDenyWhenNoTokenIsGiven() {
        APIGatewayCustomAuthorizerEvent event =
                EventLoader.loadEvent(ProjectRoot.event("authorize.json"), APIGatewayCustomAuthorizerEvent.class);
        event.setQueryStringParameters(new HashMap<>());
        IamPolicyResponse denied = authorize.handleRequest(event, null);
        Map<String, String> headers = new HashMap<>(event.getHeaders());
        headers.put("authorization", "Bearer " + TestTokens.hs256("bob"));
        event.setHeaders(headers);
        IamPolicyResponse allowed = authorize.handleRequest(event, null);

        assertThat(effect(denied)).isEqualTo("Deny");
        assertThat(denied.getContext()).isNull();
        assertThat(allowed.getContext()).containsEntry("userId", "bob");
    }

    @Test
    void shouldConnect_andAnswer500WhenTheStoreIsDown() {
        APIGatewayV2WebSocketEvent event =
                EventLoader.loadEvent(ProjectRoot.event("connect.json"), APIGatewayV2WebSocketEvent.class);
        event.getRequestContext().setConnectedAt(System.currentTimeMillis());
        WebSocketHandler connect = new WebSocketHandler(wiring);

        assertThat(connect.handleRequest(event, null).getStatusCode()).isEqualTo(200);
        assertThat(store.groupsOf(ConnectionId.of("CK8jYdS1oAMCJ1A="))).containsExactly(GroupName.of("user:kevin"));

        stores.down(true);
        assertThat(connect.handleRequest(event, null).getStatusCode()).isEqualTo(500);
    }

    @Test
    void shouldRefuseConnect_whenTheAuthorizerContextIsMissing() {
        APIGatewayV2WebSocketEvent event =
                EventLoader.loadEvent(ProjectRoot.event("connect.json"), APIGatewayV2WebSocketEvent.class);
        event.getRequestContext().setAuthorizer(null);
        APIGatewayV2WebSocketEvent empty = new APIGatewayV2WebSocketEvent();

        assertThat(new WebSocketHandler(wiring).handleRequest(event, null).getStatusCode())
                .isEqualTo(400);
        assertThat(new WebSocketHandler(wiring).handleRequest(empty, null).getStatusCode())
                .isEqualTo(400);
        assertThat(new WebSocketHandler(wiring).handleRequest(empty, null).getStatusCode())
                .isEqualTo(400);
        assertThat(new WebSocketHandler(wiring).handleRequest(empty, null).getStatusCode())
                .isEqualTo(400);
        assertThat(store.groupsOf(ConnectionId.of("CK8jYdS1oAMCJ1A="))).isEmpty();
    }

    @Test
    void shouldDisconnectTwiceHarmlessly() {
        APIGatewayV2WebSocketEvent connect =
                EventLoader.loadEvent(ProjectRoot.event("connect.json"), APIGatewayV2WebSocketEvent.class);
        connect.getRequestContext().setConnectedAt(System.currentTimeMillis());
        new WebSocketHandler(wiring).handleRequest(connect, null);
        APIGatewayV2WebSocketEvent event =
                EventLoader.loadEvent(ProjectRoot.event("disconnect.json"), APIGatewayV2WebSocketEvent.class);
        WebSocketHandler disconnect = new WebSocketHandler(wiring);

        assertThat(disconnect.handleRequest(event, null).getStatusCode()).isEqualTo(200);
        assertThat(disconnect.handleRequest(event, null).getStatusCode()).isEqualTo(200);
        assertThat(store.groupsOf(ConnectionId.of("CK8jYdS1oAMCJ1A="))).isEmpty();
    }

    @Test
    void shouldAnswerNotifyCounts_andJsonErrorsWithTheRightStatus() {
        APIGatewayV2HTTPEvent event =
                EventLoader.loadEvent(ProjectRoot.event("notify.json"), APIGatewayV2HTTPEvent.class);
        APIGatewayV2HTTPResponse ok = notify.handleRequest(event, null);
        event.setBody("{\"user\":\"kevin\"}");
        APIGatewayV2HTTPResponse missing = notify.handleRequest(event, null);
        event.setBody(null);
        APIGatewayV2HTTPResponse empty = notify.handleRequest(event, null);
        event.setBody("eyJ1c2VyIjoia2V2aW4iLCJtZXNzYWdlIjoxfQ==");
        event.setIsBase64Encoded(true);
        APIGatewayV2HTTPResponse base64 = notify.handleRequest(event, null);
        stores.down(true);
        APIGatewayV2HTTPResponse down = notify.handleRequest(event, null);

        assertThat(List.of(
                        ok.getStatusCode(),
                        missing.getStatusCode(),
                        empty.getStatusCode(),
                        base64.getStatusCode(),
                        down.getStatusCode()))
                .containsExactly(200, 400, 400, 200, 503);
        assertThat(NotifyAnswers.counts(ok.getBody())).isEqualTo(NotifyAnswers.expected(0, 0, 0, 0, 0));
        assertThat(ok.getHeaders()).containsEntry("Content-Type", "application/json");
        assertThat(Json.parse(missing.getBody()).path("error").asText()).isEqualTo("missing_message");
        assertThat(down.getBody())
                .isEqualTo(
                        "{\"error\":\"store_unavailable\",\"message\":\"the membership store is unavailable; try again\"}");
    }

    @Test
    void shouldNeverLeakExceptionText_whenSomethingUnexpectedFails() {
        ServerApiHandler broken = new ServerApiHandler(TestWirings.inMemory(Map.of(), stores)
                .with(Connections.class, connections)
                .with(MembershipStore.class, (MembershipStore) Proxy.newProxyInstance(
                        MembershipStore.class.getClassLoader(),
                        new Class<?>[] {MembershipStore.class},
                        (proxy, method, args) -> {
                            throw new IllegalStateException("secret internal detail at com.example.Thing");
                        }))
                .build());
        APIGatewayV2HTTPEvent event =
                EventLoader.loadEvent(ProjectRoot.event("notify.json"), APIGatewayV2HTTPEvent.class);

        APIGatewayV2HTTPResponse answer = broken.handleRequest(event, null);

        assertThat(answer.getStatusCode()).isEqualTo(500);
        assertThat(answer.getBody())
                .doesNotContain("secret", "Exception", "com.example")
                .contains("\"error\":\"internal_error\"");
    }

    private static String effect(IamPolicyResponse answer) {
        return Json.mapper()
                .valueToTree(answer.getPolicyDocument())
                .path("Statement")
                .path(0)
                .path("Effect")
                .asText();
    }
}
