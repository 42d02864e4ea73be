package io.groupcast.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.groupcast.core.Json;
import io.groupcast.core.RequestException;
import io.groupcast.core.UserId;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * The HTTP API on its own port: the template's {@code HttpApi} routes invoked with payload format 2.0 events (no
 * SigV4 locally), plus the demo page at {@code /} and dev tokens at {@code /token?user=...}.
 */
final class HttpApi extends Handler.Abstract {
    /** HTTP API's payload limit. */
    static final int MAX_BODY_BYTES = 10 * 1024 * 1024;

    private final Map<String, SamTemplate.Route> routes;
    private final LocalFunctions functions;
    private final Optional<String> devSecret;
    private final GatewayLog log;
    private final int webSocketPort;

    HttpApi(SamTemplate template, LocalFunctions functions, Optional<String> devSecret, int webSocketPort,
            GatewayLog log) {
        this.webSocketPort = webSocketPort;
        this.routes = template.httpRoutes();
        this.functions = functions;
        this.devSecret = devSecret;
        this.log = log;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String method = request.getMethod();
        String path = request.getHttpURI().getPath();
        SamTemplate.Route route = match(method, path);
        if (route != null) {
            invoke(route, request, response, callback);
        } else if ("GET".equals(method) && ("/".equals(path) || "/index.html".equals(path))) {
            demoPage(response, callback);
        } else if ("GET".equals(method) && "/metrics".equals(path)) {
            HttpResponses.json(response, callback, 200, LocalMetrics.INSTANCE.toJson().toString());
        } else if ("GET".equals(method) && "/token".equals(path)) {
            token(request, response, callback);
        } else {
            HttpResponses.json(response, callback, 404, io.groupcast.core.Json.object()
                    .put("error", "not_found")
                    .put("message", "no route " + method + " " + io.groupcast.core.Names.describe(path)
                            + "; the server API's routes are in openapi.yaml")
                    .toString());
        }
        return true;
    }

    /** The route whose key matches, {@code {name}} segments matching any one non-empty path segment. */
    SamTemplate.Route match(String method, String path) {
        SamTemplate.Route exact = routes.get(method + " " + path);
        if (exact != null) {
            return exact;
        }
        String[] segments = path.split("/", -1);
        for (Map.Entry<String, SamTemplate.Route> entry : routes.entrySet()) {
            String[] key = entry.getKey().split(" ", 2);
            String[] pattern = key[1].split("/", -1);
            if (!key[0].equals(method) || pattern.length != segments.length) {
                continue;
            }
            boolean matches = true;
            for (int i = 0; i < pattern.length && matches; i++) {
                matches = pattern[i].startsWith("{") ? !segments[i].isEmpty() : pattern[i].equals(segments[i]);
            }
            if (matches) {
                return entry.getValue();
            }
        }
        return null;
    }

    /** The {@code {name}} segments of a route key, decoded, as API Gateway puts them in {@code pathParameters}. */
    static Map<String, String> pathParameters(String routeKey, String path) {
        String[] pattern = routeKey.split(" ", 2)[1].split("/", -1);
        String[] segments = path.split("/", -1);
        Map<String, String> parameters = new java.util.LinkedHashMap<>();
        for (int i = 0; i < pattern.length && i < segments.length; i++) {
            if (pattern[i].startsWith("{") && pattern[i].endsWith("}")) {
                parameters.put(pattern[i].substring(1, pattern[i].length() - 1),
                        java.net.URLDecoder.decode(segments[i].replace("+", "%2B"), StandardCharsets.UTF_8));
            }
        }
        return parameters;
    }

    private void invoke(SamTemplate.Route route, Request request, Response response, Callback callback)
            throws IOException {
        byte[] body = HttpResponses.body(request, MAX_BODY_BYTES);
        if (body == null) {
            HttpResponses.json(response, callback, 413, "{\"message\":\"Request Entity Too Large\"}");
            return;
        }
        JsonNode answer;
        try {
            answer = Json.parse(functions.get(route.functionLogicalId()).invoke(event(route, request, body).toString()));
        } catch (RuntimeException e) {
            log.error(route.routeKey() + " integration " + route.functionLogicalId() + " failed", e);
            HttpResponses.json(response, callback, 500, "{\"message\":\"Internal Server Error\"}");
            return;
        }
        answer.path("headers").fields().forEachRemaining(h -> response.getHeaders().put(h.getKey(), h.getValue().asText()));
        String text = answer.path("body").asText("");
        byte[] out = answer.path("isBase64Encoded").asBoolean(false) ? Base64.getDecoder().decode(text)
                : text.getBytes(StandardCharsets.UTF_8);
        log.info(route.routeKey() + " -> " + answer.path("statusCode").asInt(200));
        HttpResponses.send(response, callback, answer.path("statusCode").asInt(200), null, out);
    }

    private static ObjectNode event(SamTemplate.Route route, Request request, byte[] body) {
        long now = System.currentTimeMillis();
        String path = request.getHttpURI().getPath();
        String query = request.getHttpURI().getQuery();
        ObjectNode event = Json.object().put("version", "2.0").put("routeKey", route.routeKey())
                .put("rawPath", path).put("rawQueryString", query == null ? "" : query);
        Map<String, String> pathParameters = pathParameters(route.routeKey(), path);
        if (!pathParameters.isEmpty()) {
            ObjectNode params = event.putObject("pathParameters");
            pathParameters.forEach(params::put);
        }
        ObjectNode headers = event.putObject("headers");
        for (HttpField field : request.getHeaders()) {
            String name = field.getName().toLowerCase(Locale.ROOT);
            headers.put(name, headers.has(name) ? headers.get(name).asText() + "," + field.getValue() : field.getValue());
        }
        Fields parameters = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
        if (parameters.getSize() > 0) {
            ObjectNode params = event.putObject("queryStringParameters");
            for (Fields.Field field : parameters) {
                params.put(field.getName(), String.join(",", field.getValues()));
            }
        }
        String requestId = ApiGatewayIds.newId();
        ObjectNode context = event.putObject("requestContext").put("accountId", "000000000000").put("apiId", "local")
                .put("domainName", "localhost").put("domainPrefix", "localhost");
        context.putObject("http").put("method", request.getMethod()).put("path", path)
                .put("protocol", request.getConnectionMetaData().getProtocol())
                .put("sourceIp", Request.getRemoteAddr(request))
                .put("userAgent", String.valueOf(request.getHeaders().get(HttpHeader.USER_AGENT)));
        context.put("requestId", requestId).put("routeKey", route.routeKey()).put("stage", "$default")
                .put("time", ApiGatewayIds.requestTime(now)).put("timeEpoch", now);
        String text = HttpResponses.utf8(body);
        if (body.length == 0) {
            return event.put("isBase64Encoded", false);
        }
        return text != null ? event.put("body", text).put("isBase64Encoded", false)
                : event.put("body", Base64.getEncoder().encodeToString(body)).put("isBase64Encoded", true);
    }

    private void token(Request request, Response response, Callback callback) {
        if (devSecret.isEmpty()) {
            HttpResponses.json(response, callback, 404, "{\"error\":\"no_dev_tokens\",\"message\":"
                    + "\"dev tokens need JWT_SECRET (HS256); this gateway verifies tokens from JWKS_URL\"}");
            return;
        }
        String user = Request.extractQueryParameters(request, StandardCharsets.UTF_8).getValue("user");
        try {
            UserId id = UserId.of(user == null ? "" : user);
            String token = DevTokens.issue(devSecret.get(), id, DevTokens.DEFAULT_TTL);
            HttpResponses.json(response, callback, 200, Json.object().put("user", id.value()).put("token", token).toString());
        } catch (RequestException e) {
            HttpResponses.json(response, callback, 400,
                    Json.object().put("error", e.code()).put("message", e.getMessage()).toString());
        }
    }

    private void demoPage(Response response, Callback callback) throws IOException {
        try (InputStream page = HttpApi.class.getResourceAsStream("/demo/index.html")) {
            if (page == null) {
                HttpResponses.json(response, callback, 404, "{\"message\":\"demo page missing from the jar\"}");
                return;
            }
            String html = new String(page.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("__WS_PORT__", Integer.toString(webSocketPort));
            HttpResponses.send(response, callback, 200, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
        }
    }

}
