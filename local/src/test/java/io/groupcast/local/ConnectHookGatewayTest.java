package io.groupcast.local;

import static io.groupcast.local.GatewayExtension.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.groupcast.core.model.Json;
import io.groupcast.core.testing.TestTokens;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The connect hook through the local gateway with real WebSocket clients: it refuses with its status and reason, adds
 * roles and groups, and when it hangs or fails the connection is refused with 503 (the default), or let in as its
 * token says with {@code ConnectHookOnFailure=Allow}.
 */
class ConnectHookGatewayTest {
    private static final ScriptedHandler HANDLER = ScriptedHandler.start().on("connect", in -> switch (in.path("userId")
            .asText()) {
        case "mallory" ->
            new ScriptedHandler.Answer(200, "{\"allow\":false,\"status\":403,\"reason\":\"banned until Friday\"}");
        case "vip" ->
            new ScriptedHandler.Answer(
                    200, "{\"allow\":true,\"roles\":[\"groupcast.sendToGroup.lounge\"],\"groups\":[\"lounge\"]}");
        case "slow" -> new ScriptedHandler.Answer(-200, "{\"allow\":true}");
        case "broken" -> new ScriptedHandler.Answer(500, "oops");
        case "garbled" -> new ScriptedHandler.Answer(200, "{\"allow\":\"yes\"}");
        default -> new ScriptedHandler.Answer(200, "{\"allow\":true}");
    });

    private static final String[] HOOKED = {
        "--event-handler-url", HANDLER.url(),
        "--parameter", "ConnectHook=Enabled",
        "--parameter", "EventHandlerTimeoutSeconds=2"
    };

    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.with(HOOKED);

    @AfterAll
    static void stopHandler() {
        HANDLER.close();
    }

    @Test
    void shouldRefuseWithTheHooksStatusAndReason_andWriteNothing() throws IOException {
        assertThatThrownBy(() -> GATEWAY.connect("mallory"))
                .isInstanceOfSatisfying(
                        TestClient.Refused.class,
                        refused -> assertThat(refused.status).isEqualTo(403));
        String answer = upgrade(GATEWAY.gateway().webSocketUrl(), TestTokens.hs256("mallory"));

        assertThat(answer).startsWith("HTTP/1.1 403");
        assertThat(answer).endsWith("{\"error\":\"connect_refused\",\"message\":\"banned until Friday\"}");
        assertThat(GATEWAY.members("user:mallory", 0)).isEmpty();
        JsonNode input = HANDLER.received().stream()
                .filter(in -> in.path("userId").asText().equals("mallory"))
                .findFirst()
                .orElseThrow();
        assertThat(input.path("type").asText()).isEqualTo("connect");
        assertThat(input.path("event").asText()).isEqualTo("connect");
        assertThat(input.path("connectionId").asText()).isNotEmpty();
        assertThat(input.path("roles").isArray()).isTrue();
    }

    @Test
    void shouldJoinTheHooksGroups_andGrantItsRoles() {
        TestClient vip = GATEWAY.connect("vip");
        TestClient other = GATEWAY.connect("plain");

        vip.send("{\"action\":\"whoami\"}");
        JsonNode whoami = Json.parse(vip.next(WAIT));
        vip.send("{\"action\":\"send\",\"group\":\"lounge\",\"data\":\"welcome\",\"ackId\":1}");
        other.send("{\"action\":\"send\",\"group\":\"lounge\",\"data\":\"me too\",\"ackId\":1}");

        assertThat(whoami.path("groups").toString()).isEqualTo("[\"lounge\",\"user:vip\"]");
        assertThat(Json.parse(vip.next(WAIT)).path("data").asText()).isEqualTo("welcome");
        assertThat(Json.parse(vip.next(WAIT)).path("type").asText()).isEqualTo("ack");
        assertThat(Json.parse(other.next(WAIT)).path("error").asText())
                .as("the role was the vip's, not everyone's")
                .isEqualTo("forbidden");
    }

    @Test
    void shouldRefuseWith503_whenTheHookHangsFailsOrAnswersGarbage() {
        for (String user : new String[] {"slow", "broken", "garbled"}) {
            long started = System.nanoTime();
            assertThatThrownBy(() -> GATEWAY.connect(user))
                    .as(user)
                    .isInstanceOfSatisfying(
                            TestClient.Refused.class,
                            refused -> assertThat(refused.status).isEqualTo(503));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(9));
        }
        assertThat(GATEWAY.members("user:slow", 0)).isEmpty();
    }

    @Test
    void shouldLetConnectionsIn_whenTheHookFails_andFailuresAllow() {
        String[] allowing = java.util.Arrays.copyOf(HOOKED, HOOKED.length + 2);
        allowing[HOOKED.length] = "--parameter";
        allowing[HOOKED.length + 1] = "ConnectHookOnFailure=Allow";
        GatewayExtension lenient = GatewayExtension.with(allowing).start();
        try {
            TestClient slow = lenient.connect("slow");
            TestClient broken = lenient.connect("broken");

            slow.send("{\"action\":\"whoami\"}");
            assertThat(Json.parse(slow.next(WAIT)).path("groups").toString()).isEqualTo("[\"user:slow\"]");
            assertThat(broken.isOpen()).isTrue();
            assertThatThrownBy(() -> lenient.connect("mallory"))
                    .as("a refusal is still a refusal")
                    .isInstanceOf(TestClient.Refused.class);
        } finally {
            lenient.stop();
        }
    }

    /** A WebSocket upgrade by hand, to read the refusal's body (WebSocket clients do not show it). */
    private static String upgrade(URI base, String token) throws IOException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout((int) WAIT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(("GET /?token=" + token + " HTTP/1.1\r\nHost: localhost:" + base.getPort()
                            + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                head.append((char) in.read());
            }
            Matcher length = Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
            int size = length.find() ? Integer.parseInt(length.group(1)) : 0;
            return head + new String(in.readNBytes(size), StandardCharsets.UTF_8);
        }
    }
}
