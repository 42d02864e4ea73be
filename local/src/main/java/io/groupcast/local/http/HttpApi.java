package io.groupcast.local.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.groupcast.core.model.ErrorCode;
import io.groupcast.core.model.Json;
import io.groupcast.core.model.Names;
import io.groupcast.core.model.RequestException;
import io.groupcast.core.model.UserId;
import io.groupcast.local.apigateway.ApiGatewayIds;
import io.groupcast.local.apigateway.CrossSiteRequests;
import io.groupcast.local.apigateway.GatewayLog;
import io.groupcast.local.apigateway.HttpResponses;
import io.groupcast.local.apigateway.SigV4Verifier;
import io.groupcast.local.lambda.LocalFunctions;
import io.groupcast.local.lambda.LocalMetrics;
import io.groupcast.local.template.SamTemplate;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.pathmap.MatchedResource;
import org.eclipse.jetty.http.pathmap.PathMappings;
import org.eclipse.jetty.http.pathmap.UriTemplatePathSpec;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.URIUtil;

/**
 * The HTTP API on its own port: the template's {@code HttpApi} routes invoked with payload format 2.0 events, the
 * route key and decoded path parameters exactly as API Gateway sends them (SigV4 checked with {@code --verify-sigv4}
 * only), plus the demo page at {@code /}, the metrics seen at {@code /metrics} and dev tokens at
 * {@code /token?user=...&role=...}. A change (POST, PUT, DELETE) must be JSON and not from another origin's page.
 */
public final class HttpApi extends Handler.Abstract {
    /** HTTP API's payload limit. */
    static final int MAX_BODY_BYTES = 10 * 1024 * 1024;
    /** The JavaScript client's modules (clients/js/src), served for the demo page: {@code /client/link.js}. */
    private static final Pattern CLIENT_MODULE = Pattern.compile("/client/[a-z][a-z-]*\\.js");

    private final PathMappings<Map<String, SamTemplate.Route>> routes = new PathMappings<>();
    private final LocalFunctions functions;
    private final Optional<TokenIssuer> devTokens;
    private final Optional<SigV4Verifier> sigV4;
    private final GatewayLog log;
    private final int webSocketPort;

    /**
     * @param devTokens issues dev tokens, when the gateway verifies tokens with its dev secret
     */
    public HttpApi(
            SamTemplate template,
            LocalFunctions functions,
            Optional<TokenIssuer> devTokens,
            Optional<SigV4Verifier> sigV4,
            int webSocketPort,
            GatewayLog log) {
        template.httpRoutes().forEach((key, route) -> {
            String[] methodAndPath = key.split(" ", 2);
            UriTemplatePathSpec path = new UriTemplatePathSpec(methodAndPath[1]);
            Map<String, SamTemplate.Route> byMethod = routes.get(path);
            if (byMethod == null) {
                byMethod = new LinkedHashMap<>();
                routes.put(path, byMethod);
            }
            byMethod.put(methodAndPath[0], route);
        });
        this.functions = functions;
        this.devTokens = devTokens;
        this.sigV4 = sigV4;
        this.webSocketPort = webSocketPort;
        this.log = log;
    }

    /** Signs dev tokens; a malformed Groupcast role is a {@link RequestException}. */
    @FunctionalInterface
    public interface TokenIssuer {
        String issue(UserId user, List<String> roles);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String method = request.getMethod();
        String path = request.getHttpURI().getPath();
        MatchedResource<Map<String, SamTemplate.Route>> matched = routes.getMatched(path);
        SamTemplate.Route route = matched == null ? null : matched.getResource().get(method);
        if (route != null) {
            invoke(route, (UriTemplatePathSpec) matched.getPathSpec(), request, response, callback);
        } else if ("GET".equals(method) && ("/".equals(path) || "/index.html".equals(path))) {
            demoPage(response, callback);
        } else if ("GET".equals(method) && "/client/groupcast-client.js".equals(path)) {
            resource("/demo/client/index.js", "text/javascript; charset=utf-8", response, callback);
        } else if ("GET".equals(method) && CLIENT_MODULE.matcher(path).matches()) {
            // the modules the client's entry point imports, next to it
            resource("/demo/" + path.substring(1), "text/javascript; charset=utf-8", response, callback);
        } else if ("GET".equals(method) && "/metrics".equals(path)) {
            HttpResponses.json(response, callback, 200, LocalMetrics.INSTANCE.toJson());
        } else if ("GET".equals(method) && "/token".equals(path)) {
            token(request, response, callback);
        } else {
            HttpResponses.error(
                    response,
                    callback,
                    ErrorCode.NOT_FOUND,
                    "no route " + method + " " + Names.describe(path)
                            + "; the server API's routes are in docs/openapi.yaml");
        }
        return true;
    }

    private void invoke(
            SamTemplate.Route route, UriTemplatePathSpec spec, Request request, Response response, Callback callback)
            throws IOException {
        // as API Gateway's HTTP API does, on every answer of a route, refusals included
        String requestId = ApiGatewayIds.newId();
        response.getHeaders().put("apigw-requestid", requestId);
        byte[] body = HttpResponses.body(request, MAX_BODY_BYTES);
        if (body == null) {
            HttpResponses.gateway(response, callback, 413, "Request Entity Too Large");
            return;
        }
        if (refused(route, request, body, response, callback)) {
            return;
        }
        ObjectNode event;
        try {
            event = event(route, spec, request, body, requestId);
        } catch (RequestException e) {
            HttpResponses.error(response, callback, e.code(), e.getMessage());
            return;
        }
        JsonNode answer;
        try {
            answer = Json.parse(functions.get(route.functionLogicalId()).invoke(event.toString()));
        } catch (RuntimeException e) {
            log.error(route.routeKey() + " integration " + route.functionLogicalId() + " failed", e);
            HttpResponses.gateway(response, callback, 500, "Internal Server Error");
            return;
        }
        answer.path("headers")
                .fields()
                .forEachRemaining(
                        h -> response.getHeaders().put(h.getKey(), h.getValue().asText()));
        String text = answer.path("body").asText("");
        byte[] out = answer.path("isBase64Encoded").asBoolean(false)
                ? Base64.getDecoder().decode(text)
                : text.getBytes(StandardCharsets.UTF_8);
        log.info(route.routeKey() + " -> " + answer.path("statusCode").asInt(200));
        HttpResponses.send(response, callback, answer.path("statusCode").asInt(200), null, out);
    }

    /**
     * Answers a request the gateway refuses before invoking anything: a change from another origin's page (403), a
     * change that is not JSON (415), or with {@code --verify-sigv4} a wrong signature on an {@code AWS_IAM} route.
     */
    private boolean refused(
            SamTemplate.Route route, Request request, byte[] body, Response response, Callback callback) {
        if (CrossSiteRequests.changes(request)) {
            Optional<String> otherOrigin = CrossSiteRequests.fromAnotherOrigin(request, route.routeKey());
            if (otherOrigin.isPresent()) {
                HttpResponses.error(response, callback, ErrorCode.FORBIDDEN, otherOrigin.get());
                return true;
            }
            Optional<String> notJson = CrossSiteRequests.notJson(request, body, route.routeKey());
            if (notJson.isPresent()) {
                HttpResponses.error(response, callback, ErrorCode.UNSUPPORTED_MEDIA_TYPE, notJson.get());
                return true;
            }
        }
        Optional<SigV4Verifier.Refusal> refusal =
                sigV4.filter(verifier -> route.authorized()).flatMap(verifier -> verifier.refusal(request, body));
        refusal.ifPresent(r -> HttpResponses.gateway(response, callback, 403, r.message()));
        return refusal.isPresent();
    }

    /** A payload format 2.0 event, as API Gateway builds it for the HTTP API's {@code $default} stage. */
    private static ObjectNode event(
            SamTemplate.Route route, UriTemplatePathSpec spec, Request request, byte[] body, String requestId) {
        long now = System.currentTimeMillis();
        String path = request.getHttpURI().getPath();
        String query = request.getHttpURI().getQuery();
        ObjectNode event = Json.object()
                .put("version", "2.0")
                .put("routeKey", route.routeKey())
                .put("rawPath", path)
                .put("rawQueryString", query == null ? "" : query);
        Map<String, String> pathParameters = spec.getPathParams(path);
        if (pathParameters != null && !pathParameters.isEmpty()) {
            ObjectNode parameters = event.putObject("pathParameters");
            pathParameters.forEach((name, value) -> parameters.put(name, decoded(value)));
        }
        ObjectNode headers = event.putObject("headers");
        for (HttpField field : request.getHeaders()) {
            String name = field.getName().toLowerCase(Locale.ROOT);
            headers.put(
                    name, headers.has(name) ? headers.get(name).asText() + "," + field.getValue() : field.getValue());
        }
        Fields parameters = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
        if (parameters.getSize() > 0) {
            ObjectNode params = event.putObject("queryStringParameters");
            for (Fields.Field field : parameters) {
                params.put(field.getName(), String.join(",", field.getValues()));
            }
        }
        ObjectNode context = event.putObject("requestContext")
                .put("accountId", "000000000000")
                .put("apiId", "local")
                .put("domainName", "localhost")
                .put("domainPrefix", "localhost");
        context.putObject("http")
                .put("method", request.getMethod())
                .put("path", path)
                .put("protocol", request.getConnectionMetaData().getProtocol())
                .put("sourceIp", Request.getRemoteAddr(request))
                .put("userAgent", String.valueOf(request.getHeaders().get(HttpHeader.USER_AGENT)));
        context.put("requestId", requestId)
                .put("routeKey", route.routeKey())
                .put("stage", "$default")
                .put("time", ApiGatewayIds.requestTime(now))
                .put("timeEpoch", now);
        if (body.length == 0) {
            return event.put("isBase64Encoded", false);
        }
        String text = HttpResponses.utf8(body);
        return text != null
                ? event.put("body", text).put("isBase64Encoded", false)
                : event.put("body", Base64.getEncoder().encodeToString(body)).put("isBase64Encoded", true);
    }

    /** A path segment percent-decoded as API Gateway does: {@code %2B} and {@code +} are both a plus. */
    private static String decoded(String segment) {
        try {
            return URIUtil.decodePath(segment);
        } catch (IllegalArgumentException e) {
            throw new RequestException(ErrorCode.INVALID_PATH, "the path has a malformed %-escape");
        }
    }

    private void token(Request request, Response response, Callback callback) {
        if (devTokens.isEmpty()) {
            HttpResponses.error(
                    response,
                    callback,
                    ErrorCode.NO_DEV_TOKENS,
                    "dev tokens are served only while the gateway verifies tokens with its public dev secret; "
                            + "this one has its own JWT_SECRET or a JWKS_URL: sign tokens as your issuer does");
            return;
        }
        Fields query = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
        String user = query.getValue("user");
        List<String> roles = Optional.ofNullable(query.getValues("role")).orElse(List.of());
        try {
            UserId id = UserId.of(user == null ? "" : user);
            ObjectNode answer = Json.object().put("user", id.value());
            roles.forEach(answer.putArray("roles")::add);
            answer.put("token", devTokens.get().issue(id, roles));
            HttpResponses.json(response, callback, 200, answer);
        } catch (RequestException e) {
            HttpResponses.error(response, callback, e.code(), e.getMessage());
        }
    }

    /** A file of the jar, as it is. */
    private static void resource(String name, String contentType, Response response, Callback callback)
            throws IOException {
        try (InputStream file = HttpApi.class.getResourceAsStream(name)) {
            if (file == null) {
                HttpResponses.gateway(response, callback, 404, name + " missing from the jar");
                return;
            }
            HttpResponses.send(response, callback, 200, contentType, file.readAllBytes());
        }
    }

    private void demoPage(Response response, Callback callback) throws IOException {
        try (InputStream page = HttpApi.class.getResourceAsStream("/demo/index.html")) {
            if (page == null) {
                HttpResponses.gateway(response, callback, 404, "demo page missing from the jar");
                return;
            }
            String html = new String(page.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("__WS_PORT__", Integer.toString(webSocketPort));
            HttpResponses.send(
                    response, callback, 200, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
        }
    }
}
