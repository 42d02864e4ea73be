package io.groupcast.local;

import static io.groupcast.local.GatewayExtension.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.groupcast.core.auth.TokenVerifier;
import io.groupcast.core.auth.VerifiedToken;
import io.groupcast.core.config.Environment;
import io.groupcast.core.config.Settings;
import io.groupcast.core.model.Json;
import io.groupcast.core.model.UserId;
import io.groupcast.standins.ProjectRoot;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The local gateway's own trust rules: dev tokens (with roles) only with the public dev secret, loopback unless told
 * otherwise, and only requests addressed to its own names.
 */
class DevGatewayTest {
    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.with("--parameter", "JwtSecret=" + DevDefaults.JWT_SECRET);

    private static final TokenVerifier DEV =
            new TokenVerifier(Settings.tokens(Environment.of(Map.of("JWT_SECRET", DevDefaults.JWT_SECRET))));

    @Test
    void shouldIssueDevTokensWithRoles_thatTheGatewayHonours() throws Exception {
        JsonNode answer = GATEWAY.call(
                "GET", "/token?user=kevin&role=groupcast.joinLeaveGroup.room-*&role=other-app.admin", null);

        VerifiedToken token = DEV.verify(answer.path("token").asText());
        assertThat(token.user()).isEqualTo(UserId.of("kevin"));
        assertThat(token.roles().roles()).isEqualTo("groupcast.joinLeaveGroup.room-*");
        assertThat(answer.path("roles").toString())
                .isEqualTo("[\"groupcast.joinLeaveGroup.room-*\",\"other-app.admin\"]");

        TestClient client = TestClient.connect(
                GATEWAY.gateway().webSocketUrl(), answer.path("token").asText());
        client.send("{\"action\":\"join\",\"group\":\"room-1\"}");
        assertThat(client.next(WAIT)).isEqualTo("{\"type\":\"ack\",\"action\":\"join\",\"group\":\"room-1\"}");
        client.send("{\"action\":\"join\",\"group\":\"lobby\"}");
        assertThat(Json.parse(client.next(WAIT)).path("error").asText()).isEqualTo("forbidden");
        client.close();
    }

    @Test
    void shouldRefuseABadUserOrRole_forADevToken() {
        assertThat(GATEWAY.refusal("GET", "/token?user=a%20b", null)).isEqualTo("400 invalid_user");
        assertThat(GATEWAY.refusal("GET", "/token?user=kevin&role=groupcast.dance", null))
                .isEqualTo("400 invalid_permission");
        assertThat(GATEWAY.refusal("GET", "/token?user=kevin&role=groupcast.joinLeaveGroup.user:bob", null))
                .isEqualTo("400 invalid_permission");
    }

    @Test
    void shouldPrintADevTokenWithRoles_fromTheCommandLine() throws Exception {
        String token = Main.token(
                new ArrayDeque<>(
                        List.of("kim", "--role", "groupcast.sendToGroup", "--role", "groupcast.joinLeaveGroup")),
                Map.of());

        assertThat(DEV.verify(token).roles().roles()).isEqualTo("groupcast.joinLeaveGroup groupcast.sendToGroup");
        assertThatThrownBy(() -> Main.token(new ArrayDeque<>(List.of("kim", "--role")), Map.of()))
                .isInstanceOf(GatewayOptions.UsageException.class)
                .hasMessage("--role needs a value (ROLE)");
        assertThatThrownBy(() -> Main.token(new ArrayDeque<>(List.of("kim", "--role", "groupcast.x")), Map.of()))
                .isInstanceOf(GatewayOptions.UsageException.class)
                .hasMessageContaining("names no permission");
    }

    @Test
    void shouldServeNoDevTokens_whenTheGatewayHasASecretOfItsOwn() throws Exception {
        try (LocalGateway own = LocalGateway.start(GatewayExtension.options(List.of()), System.out)) {
            HttpResponse<String> answer = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(own.httpUrl() + "/token?user=kevin"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(404);
            assertThat(Json.parse(answer.body()).path("error").asText()).isEqualTo("no_dev_tokens");
        }
    }

    @Test
    void shouldRefuseRequestsForAnotherHost_onBothPorts() throws IOException {
        URI http = GATEWAY.gateway().httpUrl();
        URI ws = GATEWAY.gateway().webSocketUrl();

        assertThat(statusLine(http.getPort(), "localhost")).contains(" 200 ");
        assertThat(statusLine(http.getPort(), "127.0.0.1:" + http.getPort())).contains(" 200 ");
        assertThat(statusLine(http.getPort(), "rebound.example")).contains(" 403 ");
        assertThat(statusLine(ws.getPort(), "rebound.example:" + ws.getPort())).contains(" 403 ");
    }

    @Test
    void shouldRefuseAHostOtherMachinesReach_unlessAllowedRemote() {
        String template = ProjectRoot.get().resolve("template.yaml").toString();

        assertThatThrownBy(() -> GatewayOptions.parse(List.of("--template", template, "--host", "0.0.0.0"), Map.of()))
                .isInstanceOf(GatewayOptions.UsageException.class)
                .hasMessageContaining("--allow-remote");
        assertThat(GatewayOptions.parse(
                                List.of(
                                        "--template",
                                        template,
                                        "--host",
                                        "0.0.0.0",
                                        "--allow-remote",
                                        "--parameter",
                                        "JwtSecret=a-secret-of-my-own-at-least-32-characters"),
                                Map.of())
                        .allowRemote())
                .isTrue();
        assertThat(GatewayOptions.parse(List.of("--template", template, "--host", "127.0.0.1"), Map.of())
                        .host())
                .isEqualTo("127.0.0.1");
    }

    @Test
    void shouldTakeHandlerAndEventsUrls_refusingWhatIsNotOne_andPutEventsWhenAskedForThem() {
        String template = ProjectRoot.get().resolve("template.yaml").toString();

        GatewayOptions options = GatewayOptions.parse(
                List.of(
                        "--template",
                        template,
                        "--event-handler-url",
                        "http://localhost:8080/events",
                        "--events-url",
                        "https://sink.example/e"),
                Map.of());
        GatewayOptions named = GatewayOptions.parse(
                List.of("--template", template, "--events-url", "http://x/", "--parameter", "EventBusName=chat"),
                Map.of());

        assertThat(options.eventHandlerUrl()).contains(URI.create("http://localhost:8080/events"));
        assertThat(options.eventsUrl()).contains(URI.create("https://sink.example/e"));
        assertThat(options.parameters()).containsEntry("EventBusName", "default");
        assertThat(named.parameters()).containsEntry("EventBusName", "chat");
        assertThat(GatewayOptions.parse(List.of("--template", template), Map.of())
                        .parameters())
                .doesNotContainKey("EventBusName");
        for (String bad : List.of("localhost:8080", "ftp://x/", "not a url", "http://")) {
            assertThatThrownBy(() ->
                            GatewayOptions.parse(List.of("--template", template, "--event-handler-url", bad), Map.of()))
                    .as(bad)
                    .isInstanceOf(GatewayOptions.UsageException.class)
                    .hasMessageStartingWith("--event-handler-url needs an http or https URL");
        }
        assertThat(Main.USAGE).contains("--event-handler-url URL", "--events-url URL");
    }

    @Test
    void shouldRefuseAllowRemote_withTheDevSecret_sayingWhyAndWhatToDo() {
        String template = ProjectRoot.get().resolve("template.yaml").toString();
        List<String> remote = List.of("--template", template, "--host", "0.0.0.0", "--allow-remote");
        List<String> devSecretGiven = new ArrayList<>(remote);
        devSecretGiven.addAll(List.of("--parameter", "JwtSecret=" + DevDefaults.JWT_SECRET));

        for (ThrowingCallable start : List.<ThrowingCallable>of(
                () -> GatewayOptions.parse(remote, Map.of()),
                () -> GatewayOptions.parse(devSecretGiven, Map.of()),
                () -> GatewayOptions.parse(remote, Map.of("JWT_SECRET", DevDefaults.JWT_SECRET)))) {
            assertThatThrownBy(start)
                    .isInstanceOf(GatewayOptions.UsageException.class)
                    .hasMessage("--allow-remote with the dev secret would hand dev tokens for any user (GET /token) to "
                            + "anyone who can reach the gateway, and the dev secret is public: set a JwtSecret of "
                            + "your own (JWT_SECRET or --parameter JwtSecret=..., at least 32 characters) or a "
                            + "JwksUrl (JWKS_URL)");
        }
        assertThat(GatewayOptions.parse(remote, Map.of("JWKS_URL", "https://issuer.example/jwks.json"))
                        .allowRemote())
                .isTrue();
        assertThat(Main.USAGE).contains("--allow-remote", "refused with the dev secret");
    }

    /** The status line of {@code GET /} sent with this {@code Host} header (which the JDK's client will not set). */
    private static String statusLine(int port, String host) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout((int) WAIT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
                line.append((char) c);
            }
            return line.toString();
        }
    }
}
