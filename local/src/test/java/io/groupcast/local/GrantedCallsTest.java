package io.groupcast.local;

import static io.groupcast.local.GatewayExtension.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.groupcast.core.model.Json;
import io.groupcast.core.testing.TestTokens;
import io.groupcast.local.template.SamTemplate;
import io.groupcast.local.template.TemplatePolicies;
import io.groupcast.standins.ProjectRoot;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Least privilege that holds: LeastPrivilegeTest checks that template.yaml grants no more than a hand-written list,
 * this checks that the code calls no more than template.yaml grants. The gateway records each AWS call its functions
 * make (DynamoDB and SQS through their SDK clients, {@code @connections} by method, the queue polling Lambda does
 * with the worker's role) while a realistic flow runs, and every call must be allowed to that function.
 */
class GrantedCallsTest {
    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.standard();

    @Test
    void shouldCallOnlyWhatTheTemplateGrantsEachFunction_throughARealisticFlow() {
        runTheFlow();

        Map<String, Set<String>> called = GATEWAY.gateway().calledActions();
        SamTemplate template = SamTemplate.read(ProjectRoot.get().resolve("template.yaml"));
        List<String> ungranted = new ArrayList<>();
        called.forEach((function, calls) -> calls.stream()
                .filter(call -> !TemplatePolicies.allows(template.functions().get(function), call))
                .forEach(call -> ungranted.add(function + " calls " + call)));

        assertThat(ungranted).as("calls template.yaml does not grant").isEmpty();
        assertThat(called)
                .containsKeys(
                        "ConnectFunction",
                        "DisconnectFunction",
                        "MessageFunction",
                        "NotifyFunction",
                        "FanoutWorkerFunction");
        assertThat(called.get("NotifyFunction"))
                .contains(
                        "dynamodb:Query",
                        "sqs:SendMessage",
                        "execute-api:ManageConnections/POST",
                        "execute-api:ManageConnections/GET",
                        "execute-api:ManageConnections/DELETE");
        assertThat(called.get("FanoutWorkerFunction"))
                .contains(
                        "dynamodb:GetItem",
                        "sqs:ReceiveMessage",
                        "sqs:DeleteMessage",
                        "execute-api:ManageConnections/POST");
        assertThat(called.get("MessageFunction")).contains("dynamodb:UpdateItem", "execute-api:ManageConnections/POST");
    }

    /** Links, connects, joins, sends, resumes, notifies (once-only and queued), verifies, grants, closes. */
    private static void runTheFlow() {
        GATEWAY.call("PUT", "/groups/gc-team/users/gc-ann", null);
        TestClient ann = GATEWAY.connect("gc-ann", TestTokens.JOIN_ANY, TestTokens.SEND_ANY);
        TestClient bob = GATEWAY.connect("gc-bob", TestTokens.JOIN_ANY);
        String bobId = GATEWAY.members("user:gc-bob", 1).get(0);
        GATEWAY.members("gc-team", 1);
        for (TestClient client : List.of(ann, bob)) {
            client.send("{\"action\":\"join\",\"group\":\"gc-room\",\"ackId\":1}");
            assertThat(client.next(WAIT)).contains("\"ack\"", "\"ackId\":1");
        }
        ann.send("{\"action\":\"send\",\"group\":\"gc-room\",\"data\":\"hi\",\"noEcho\":true,\"ackId\":2}");
        assertThat(ann.next(WAIT)).contains("\"ack\"", "\"ackId\":2");
        assertThat(bob.next(WAIT)).contains("\"data\":\"hi\"");
        ann.send("{\"action\":\"resume\",\"streams\":{\"gc-room\":0,\"gc-team\":null},\"ackId\":3}");
        assertThat(until(ann, "\"type\":\"resumed\"")).contains("\"ackId\":3");
        ann.send("{\"action\":\"whoami\",\"ackId\":4}");
        assertThat(ann.next(WAIT)).contains("\"groups\":[\"gc-room\",\"gc-team\",\"user:gc-ann\"]");

        String once = "{\"user\":\"gc-bob\",\"message\":\"once\",\"idempotencyKey\":\"gc-order-1\"}";
        GATEWAY.call("POST", "/notify", once);
        GATEWAY.call("POST", "/notify", once);
        assertThat(bob.next(WAIT)).isEqualTo("\"once\"");
        HttpResponse<String> accepted =
                GATEWAY.send("POST", "/notify", "{\"group\":\"gc-room\",\"async\":true,\"message\":\"later\"}");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String queued = Json.parse(accepted.body()).path("notificationId").asText();
        assertThat(bob.next(WAIT)).isEqualTo("\"later\"");
        assertThat(until(ann, "\"later\"")).isEqualTo("\"later\"");
        Eventually.await(
                "the queued notify completes",
                WAIT,
                () -> "completed"
                        .equals(GATEWAY.call("GET", "/notifications/" + queued, null)
                                .path("status")
                                .asText()));
        JsonNode verified = GATEWAY.call("GET", "/groups/gc-room?verify=true", null);
        assertThat(verified.path("connections").asInt()).isEqualTo(2);

        String permission =
                "/connections/" + GatewayExtension.encoded(bobId) + "/permissions/sendToGroup?group=gc-room";
        for (String grant : List.of("PUT true", "GET true", "DELETE false")) {
            String[] methodAndGranted = grant.split(" ");
            assertThat(GATEWAY.call(methodAndGranted[0], permission, null)
                            .path("granted")
                            .asText())
                    .as(grant)
                    .isEqualTo(methodAndGranted[1]);
        }

        GATEWAY.call("DELETE", "/connections/" + GatewayExtension.encoded(bobId), null);
        assertThat(bob.closeCode(WAIT)).isEqualTo(1000);
        ann.close();
        GATEWAY.members("user:gc-ann", 0);
        GATEWAY.members("gc-room", 0);
    }

    /** The frames up to the first that contains {@code text}; answers that one. */
    private static String until(TestClient client, String text) {
        for (int i = 0; i < 20; i++) {
            String frame = client.next(WAIT);
            if (frame.contains(text)) {
                return frame;
            }
        }
        throw new AssertionError("no frame with " + text + " in " + client.received());
    }
}
