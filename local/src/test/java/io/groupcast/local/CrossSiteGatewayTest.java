package io.groupcast.local;

import static io.groupcast.local.GatewayExtension.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.groupcast.core.model.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A web page on another local port may send the gateway a "simple request" (a POST of text/plain, a form) without a
 * CORS preflight; on AWS the HTTP API is AWS_IAM and such a request never gets in, locally nothing signs it. So every
 * state-changing route takes JSON only, and a request a browser marks as from another origin is refused.
 */
class CrossSiteGatewayTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.standard();

    @ParameterizedTest(name = "[{index}] Content-Type {0}")
    @ValueSource(
            strings = {
                "text/plain;charset=UTF-8",
                "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x",
                "text/html",
                ""
            })
    void shouldRefuseANotifyThatIsNotJson_with415_andDeliverNothing(String contentType) {
        TestClient target = GATEWAY.connect("cross-" + contentType.hashCode());
        String user = "cross-" + contentType.hashCode();
        GATEWAY.members("user:" + user, 1);

        HttpResponse<String> answer = send(
                "POST",
                "/notify",
                "{\"user\":\"" + user + "\",\"message\":\"forged\"}",
                headers("Content-Type", contentType));

        assertThat(answer.statusCode()).isEqualTo(415);
        JsonNode error = Json.parse(answer.body());
        assertThat(error.path("error").asText()).isEqualTo("unsupported_media_type");
        assertThat(error.path("message").asText())
                .as("Jetty writes the charset in lower case")
                .isEqualToIgnoringCase("POST /notify takes Content-Type: application/json, not "
                        + (contentType.isEmpty() ? "a body without one" : "'" + contentType + "'")
                        + " (a web page may send that to the local gateway without asking; this one refuses it)");
        GATEWAY.call("POST", "/notify", "{\"user\":\"" + user + "\",\"message\":\"real\"}");
        assertThat(target.next(WAIT)).isEqualTo("\"real\"");
        assertThat(target.received()).containsExactly("\"real\"");
    }

    @Test
    void shouldRefuseBodilessChanges_thatCarryABrowsersContentType() {
        TestClient client = GATEWAY.connect("cross-bodiless");
        String id = GATEWAY.members("user:cross-bodiless", 1).get(0);
        String close = "/connections/" + GatewayExtension.encoded(id);

        assertThat(send("PUT", "/groups/cross-room/users/cross-bodiless", null, headers("Content-Type", "text/plain"))
                        .statusCode())
                .isEqualTo(415);
        assertThat(send("DELETE", close, null, headers("Content-Type", "application/x-www-form-urlencoded"))
                        .statusCode())
                .isEqualTo(415);
        assertThat(client.isOpen()).isTrue();

        assertThat(send("PUT", "/groups/cross-room/users/cross-bodiless", null, List.of())
                        .statusCode())
                .isEqualTo(200);
        assertThat(send("DELETE", close, null, headers("Content-Type", "application/json; charset=utf-8"))
                        .statusCode())
                .isEqualTo(200);
        assertThat(client.closeCode(WAIT)).isEqualTo(1000);
    }

    @Test
    void shouldRefuseChangesFromAnotherOrigin_evenAsJson_butTakeItsOwnDemoPages() {
        TestClient target = GATEWAY.connect("cross-origin");
        GATEWAY.members("user:cross-origin", 1);
        String body = "{\"user\":\"cross-origin\",\"message\":\"forged\"}";
        String own = "http://localhost:" + GATEWAY.gateway().httpUrl().getPort();

        List<HttpResponse<String>> refused = List.of(
                send("POST", "/notify", body, json("Origin", "http://localhost:8080")),
                send("POST", "/notify", body, json("Origin", "null")),
                send("POST", "/notify", body, json("Sec-Fetch-Site", "same-site")),
                send("POST", "/notify", body, json("Sec-Fetch-Site", "cross-site")));
        HttpResponse<String> demoPage = send(
                "POST",
                "/notify",
                "{\"user\":\"cross-origin\",\"message\":\"from the demo page\"}",
                json("Origin", own, "Sec-Fetch-Site", "same-origin"));

        assertThat(refused).allSatisfy(answer -> {
            assertThat(answer.statusCode()).isEqualTo(403);
            assertThat(Json.parse(answer.body()).path("error").asText()).isEqualTo("forbidden");
        });
        assertThat(Json.parse(refused.get(0).body()).path("message").asText())
                .isEqualTo("POST /notify from another origin (Origin 'http://localhost:8080'): the local gateway "
                        + "takes changes only from its own pages and from clients that are not browsers");
        assertThat(demoPage.statusCode()).isEqualTo(200);
        assertThat(target.next(WAIT)).isEqualTo("\"from the demo page\"");
        assertThat(target.received()).containsExactly("\"from the demo page\"");
    }

    @Test
    void shouldRefuseManagementCallsFromAWebPage() throws Exception {
        TestClient target = GATEWAY.connect("cross-managed");
        String id = GATEWAY.members("user:cross-managed", 1).get(0);

        HttpResponse<String> answer = HTTP.send(
                HttpRequest.newBuilder(URI.create(GATEWAY.gateway().managementEndpoint() + "/@connections/"
                                + GatewayExtension.encoded(id)))
                        .header("Origin", "http://localhost:8080")
                        .header("Content-Type", "text/plain")
                        .POST(HttpRequest.BodyPublishers.ofString("\"forged\""))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(403);
        assertThat(answer.headers().firstValue("x-amzn-ErrorType")).contains("ForbiddenException");
        GATEWAY.call("POST", "/notify", "{\"user\":\"cross-managed\",\"message\":\"real\"}");
        assertThat(target.next(WAIT)).isEqualTo("\"real\"");
        assertThat(target.received()).containsExactly("\"real\"");
    }

    private static List<String> headers(String... namesAndValues) {
        List<String> headers = new ArrayList<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (!namesAndValues[i + 1].isEmpty()) {
                headers.add(namesAndValues[i]);
                headers.add(namesAndValues[i + 1]);
            }
        }
        return headers;
    }

    private static List<String> json(String... namesAndValues) {
        List<String> headers = new ArrayList<>(List.of("Content-Type", "application/json"));
        headers.addAll(headers(namesAndValues));
        return headers;
    }

    private static HttpResponse<String> send(String method, String path, String body, List<String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create(GATEWAY.gateway().httpUrl() + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (!headers.isEmpty()) {
            request.headers(headers.toArray(String[]::new));
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(method + " " + path + " failed", e);
        }
    }
}
