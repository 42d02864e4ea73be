package io.groupcast.local.template;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A read-only view of {@code template.yaml}: the functions, the WebSocket API's routes and authorizer, the HTTP API's
 * routes. Short-form intrinsics ({@code !Ref}, {@code !Sub}, {@code !GetAtt}, ...) are read as their long form.
 */
public final class SamTemplate {
    private final Map<String, Object> root;

    private SamTemplate(Map<String, Object> root) {
        this.root = root;
    }

    /** Reads and parses a template file. */
    public static SamTemplate read(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Object parsed = new Yaml(new IntrinsicConstructor()).load(reader);
            if (!(parsed instanceof Map<?, ?> map)) {
                throw new IllegalArgumentException(file + " is not a YAML mapping");
            }
            return new SamTemplate(cast(map));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** A function of the template: logical id, handler and environment as written (intrinsics unresolved). */
    public record Function(
            String logicalId, String handler, Map<String, Object> environment, Map<String, Object> properties) {
        /** The handler class name. */
        public String handlerClass() {
            int separator = handler.indexOf("::");
            return separator < 0 ? handler : handler.substring(0, separator);
        }

        /** The handler method name ({@code handleRequest} when not given). */
        public String handlerMethod() {
            int separator = handler.indexOf("::");
            return separator < 0 ? "handleRequest" : handler.substring(separator + 2);
        }
    }

    /**
     * A route: the function it invokes, or, for a WebSocket route with a {@code MOCK} integration and a route
     * response, the frame API Gateway answers itself ({@code mockResponse}).
     */
    public record Route(String routeKey, String functionLogicalId, boolean authorized, Optional<String> mockResponse) {
        public Route(String routeKey, String functionLogicalId, boolean authorized) {
            this(routeKey, functionLogicalId, authorized, Optional.empty());
        }
    }

    /** Every resource, by logical id. */
    public Map<String, Map<String, Object>> resources() {
        Map<String, Map<String, Object>> resources = new LinkedHashMap<>();
        map(root.get("Resources")).forEach((id, value) -> resources.put(id, map(value)));
        return resources;
    }

    /** The resources of one type, by logical id. */
    public Map<String, Map<String, Object>> resourcesOfType(String type) {
        Map<String, Map<String, Object>> matching = new LinkedHashMap<>();
        resources().forEach((id, resource) -> {
            if (type.equals(resource.get("Type"))) {
                matching.put(id, resource);
            }
        });
        return matching;
    }

    /** The properties of a resource. */
    public Map<String, Object> properties(String logicalId) {
        Map<String, Object> resource = resources().get(logicalId);
        if (resource == null) {
            throw new IllegalArgumentException("template.yaml has no resource " + logicalId);
        }
        return map(resource.get("Properties"));
    }

    /** Every {@code AWS::Serverless::Function}, with Globals applied to the handler and environment. */
    public Map<String, Function> functions() {
        Map<String, Object> globals = map(map(root.get("Globals")).get("Function"));
        Map<String, Object> globalEnv = map(map(globals.get("Environment")).get("Variables"));
        Map<String, Function> functions = new LinkedHashMap<>();
        resourcesOfType("AWS::Serverless::Function").forEach((id, resource) -> {
            Map<String, Object> properties = map(resource.get("Properties"));
            Map<String, Object> env = new LinkedHashMap<>(globalEnv);
            env.putAll(map(map(properties.get("Environment")).get("Variables")));
            Object handler = properties.getOrDefault("Handler", globals.get("Handler"));
            functions.put(id, new Function(id, String.valueOf(handler), env, properties));
        });
        return functions;
    }

    /** A top-level section as written ({@code Conditions}, {@code Outputs}), intrinsics as maps; empty when absent. */
    public Map<String, Object> section(String name) {
        return map(root.get(name));
    }

    /** A property of {@code Globals.Function}, or null. */
    public Object globalFunctionProperty(String name) {
        return map(map(root.get("Globals")).get("Function")).get(name);
    }

    /** The parameters with their defaults (absent when a parameter has none). */
    public Map<String, Optional<String>> parameters() {
        Map<String, Optional<String>> parameters = new LinkedHashMap<>();
        map(root.get("Parameters"))
                .forEach((name, value) -> parameters.put(
                        name, Optional.ofNullable(map(value).get("Default")).map(String::valueOf)));
        return parameters;
    }

    /** The routes of the {@code AWS::ApiGatewayV2::Api} with protocol WEBSOCKET, by route key. */
    public Map<String, Route> webSocketRoutes() {
        String api = webSocketApiId();
        Map<String, Route> routes = new LinkedHashMap<>();
        resourcesOfType("AWS::ApiGatewayV2::Route").forEach((id, resource) -> {
            Map<String, Object> properties = map(resource.get("Properties"));
            if (!api.equals(Intrinsics.refTarget(properties.get("ApiId")))) {
                return;
            }
            String integration = Intrinsics.subReferences(properties.get("Target")).stream()
                    .findFirst()
                    .orElseThrow(() ->
                            new IllegalArgumentException("route " + id + " has no Target integrations/${Integration}"));
            String routeKey = String.valueOf(properties.get("RouteKey"));
            boolean authorized = "CUSTOM".equals(properties.get("AuthorizationType"));
            if ("MOCK".equals(properties(integration).get("IntegrationType"))) {
                routes.put(routeKey, new Route(routeKey, null, authorized, Optional.of(mockResponse(integration))));
                return;
            }
            String function = functionOfUri(properties(integration).get("IntegrationUri"), integration);
            routes.put(routeKey, new Route(routeKey, function, authorized));
        });
        return routes;
    }

    /** The {@code $default} response template of a {@code MOCK} integration's integration response. */
    private String mockResponse(String integration) {
        return resourcesOfType("AWS::ApiGatewayV2::IntegrationResponse").values().stream()
                .map(resource -> map(resource.get("Properties")))
                .filter(properties -> integration.equals(Intrinsics.refTarget(properties.get("IntegrationId"))))
                .map(properties -> map(properties.get("ResponseTemplates")).get("$default"))
                .filter(Objects::nonNull)
                .map(String::valueOf)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("MOCK integration " + integration
                        + " has no AWS::ApiGatewayV2::IntegrationResponse with a $default response template"));
    }

    /** The WebSocket API stage's name, resolved against {@code parameters} and the parameters' defaults. */
    public String webSocketStageName(Map<String, String> parameters) {
        String api = webSocketApiId();
        Map<String, Optional<String>> defaults = parameters();
        return resourcesOfType("AWS::ApiGatewayV2::Stage").values().stream()
                .map(r -> map(r.get("Properties")))
                .filter(p -> api.equals(Intrinsics.refTarget(p.get("ApiId"))))
                .findFirst()
                .map(p -> Intrinsics.resolve(
                        p.get("StageName"),
                        ref -> parameters.containsKey(ref)
                                ? parameters.get(ref)
                                : defaults.getOrDefault(ref, Optional.empty()).orElse(ref)))
                .orElse("$default");
    }

    /** The WebSocket API's route selection expression, e.g. {@code $request.body.action}. */
    public String routeSelectionExpression() {
        return String.valueOf(properties(webSocketApiId()).get("RouteSelectionExpression"));
    }

    /** The function of the WebSocket API's REQUEST authorizer, if it has one. */
    public Optional<String> authorizerFunction() {
        String api = webSocketApiId();
        return resourcesOfType("AWS::ApiGatewayV2::Authorizer").entrySet().stream()
                .filter(e -> api.equals(
                        Intrinsics.refTarget(map(e.getValue().get("Properties")).get("ApiId"))))
                .map(e -> functionOfUri(map(e.getValue().get("Properties")).get("AuthorizerUri"), e.getKey()))
                .findFirst();
    }

    /** The identity sources of the WebSocket API's authorizer, e.g. {@code route.request.querystring.token}. */
    public List<String> authorizerIdentitySources() {
        String api = webSocketApiId();
        return resourcesOfType("AWS::ApiGatewayV2::Authorizer").values().stream()
                .map(r -> map(r.get("Properties")))
                .filter(p -> api.equals(Intrinsics.refTarget(p.get("ApiId"))))
                .findFirst()
                .map(p -> list(p.get("IdentitySource")).stream()
                        .map(String::valueOf)
                        .toList())
                .orElse(List.of());
    }

    /** HTTP API routes ({@code HttpApi} events of functions), keyed {@code "POST /notify"}. */
    public Map<String, Route> httpRoutes() {
        Map<String, Route> routes = new LinkedHashMap<>();
        functions()
                .forEach((id, function) -> map(function.properties().get("Events"))
                        .forEach((name, value) -> {
                            Map<String, Object> event = map(value);
                            if ("HttpApi".equals(event.get("Type"))) {
                                Map<String, Object> properties = map(event.get("Properties"));
                                String key = String.valueOf(properties.get("Method"))
                                                .toUpperCase(Locale.ROOT) + " " + properties.get("Path");
                                Object authorizer = map(properties.get("Auth")).get("Authorizer");
                                routes.put(key, new Route(key, id, "AWS_IAM".equals(authorizer)));
                            }
                        }));
        return routes;
    }

    /** As {@link Intrinsics#resolve}, and {@code Fn::If} by this template's conditions. */
    public String resolveIf(Object value, java.util.function.Function<String, String> lookup) {
        List<Object> branches = list(map(value).get("Fn::If"));
        if (branches.size() == 3) {
            return resolveIf(
                    holds(map(root.get("Conditions")).get(String.valueOf(branches.get(0))), lookup)
                            ? branches.get(1)
                            : branches.get(2),
                    lookup);
        }
        return Intrinsics.resolve(value, lookup);
    }

    private boolean holds(Object condition, java.util.function.Function<String, String> lookup) {
        Map<String, Object> function = map(condition);
        String operator = function.keySet().iterator().next();
        List<Object> arguments = list(function.get(operator));
        return switch (operator) {
            case "Fn::Equals" -> resolveIf(arguments.get(0), lookup).equals(resolveIf(arguments.get(1), lookup));
            case "Fn::Not" -> !holds(arguments.get(0), lookup);
            case "Fn::And" -> arguments.stream().allMatch(a -> holds(a, lookup));
            case "Fn::Or" -> arguments.stream().anyMatch(a -> holds(a, lookup));
            case "Condition" -> holds(map(root.get("Conditions")).get(String.valueOf(function.get(operator))), lookup);
            default -> throw new IllegalArgumentException("cannot evaluate condition " + condition + " locally");
        };
    }

    private String webSocketApiId() {
        return resourcesOfType("AWS::ApiGatewayV2::Api").entrySet().stream()
                .filter(e ->
                        "WEBSOCKET".equals(map(e.getValue().get("Properties")).get("ProtocolType")))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElseThrow(
                        () -> new IllegalArgumentException("template.yaml has no WEBSOCKET AWS::ApiGatewayV2::Api"));
    }

    private static String functionOfUri(Object uri, String owner) {
        return Intrinsics.subReferences(uri).stream()
                .filter(name -> name.endsWith(".Arn") || name.endsWith(".Alias"))
                .map(name -> name.substring(0, name.lastIndexOf('.')))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        owner + " does not name a function as ${Function.Arn} or ${Function.Alias}"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    public static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? cast(m) : Map.of();
    }

    public static List<Object> list(Object value) {
        if (value instanceof List<?> l) {
            return new ArrayList<>(l);
        }
        return value == null ? List.of() : List.of(value);
    }

    /** Reads {@code !Ref x} as {@code {Ref: x}} and {@code !Name x} as {@code {Fn::Name: x}}. */
    private static final class IntrinsicConstructor extends SafeConstructor {
        IntrinsicConstructor() {
            super(new LoaderOptions());
            this.yamlMultiConstructors.put("!", new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    String tag = node.getTag().getValue().substring(1);
                    String key = "Ref".equals(tag) || "Condition".equals(tag) ? tag : "Fn::" + tag;
                    Object value;
                    if (node instanceof ScalarNode scalar) {
                        value = constructScalar(scalar);
                    } else if (node instanceof SequenceNode sequence) {
                        value = constructSequence(sequence);
                    } else {
                        value = constructMapping((MappingNode) node);
                    }
                    return Map.of(key, Objects.requireNonNull(value));
                }
            });
        }
    }
}
