package io.groupcast.local.template;

import static org.assertj.core.api.Assertions.assertThat;

import io.groupcast.core.model.Connection;
import io.groupcast.core.model.Json;
import io.groupcast.core.store.dynamodb.DynamoDbTable;
import io.groupcast.functions.serverapi.ServerApi;
import io.groupcast.local.lambda.CalledActions;
import io.groupcast.local.lambda.LambdaFunction;
import io.groupcast.local.lambda.LocalFunctions;
import io.groupcast.local.lambda.LocalSettings;
import io.groupcast.standins.ProjectRoot;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** template.yaml and the code agree: handlers exist, every variable the code reads is set, routes are wired. */
class TemplateContractTest {
    /** Set by Lambda itself, never by the template. */
    private static final Set<String> LAMBDA_PROVIDED = Set.of(
            "AWS_SAM_LOCAL",
            "AWS_REGION",
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN",
            "AWS_XRAY_DAEMON_ADDRESS",
            "AWS_LAMBDA_FUNCTION_NAME");
    /** Only for local runs and `sam local invoke --env-vars`, never deployed. */
    private static final Set<String> LOCAL_ONLY = Set.of(
            "DYNAMODB_ENDPOINT",
            "SECRETS_MANAGER_ENDPOINT",
            "SQS_ENDPOINT",
            "LAMBDA_ENDPOINT",
            "EVENTS_ENDPOINT",
            "EVENT_HANDLER_URL");

    private static final Pattern READ = Pattern.compile("(?:required|optional|integer|getenv)\\(\"([A-Z0-9_]+)\"");

    private final SamTemplate template = SamTemplate.read(ProjectRoot.get().resolve("template.yaml"));

    @Test
    void shouldNameARealHandlerClassAndMethod_forEveryFunction() throws Exception {
        assertThat(template.functions()).hasSize(6);
        for (SamTemplate.Function function : template.functions().values()) {
            Class<?> type = Class.forName(function.handlerClass());
            Method method = Stream.of(type.getMethods())
                    .filter(m ->
                            m.getName().equals(function.handlerMethod()) && m.getParameterCount() == 2 && !m.isBridge())
                    .findFirst()
                    .orElse(null);
            assertThat(method)
                    .as("%s::%s", type.getName(), function.handlerMethod())
                    .isNotNull();
            assertThat(type.getConstructor())
                    .as("public no-arg constructor of %s", type.getName())
                    .isNotNull();
        }
    }

    @Test
    void shouldSetEveryEnvironmentVariableTheCodeReads() throws IOException {
        Set<String> read = new TreeSet<>();
        for (String module : new String[] {"shared", "functions"}) {
            try (Stream<Path> files =
                    Files.walk(ProjectRoot.get().resolve(module).resolve("src/main/java"))) {
                for (Path file :
                        files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    Matcher m = READ.matcher(Files.readString(file));
                    while (m.find()) {
                        read.add(m.group(1));
                    }
                }
            }
        }
        Set<String> set = new TreeSet<>();
        template.functions().values().forEach(f -> set.addAll(f.environment().keySet()));

        assertThat(read).contains("TABLE_NAME", "JWT_SECRET", "MANAGEMENT_API_ENDPOINT");
        read.removeAll(LAMBDA_PROVIDED);
        read.removeAll(LOCAL_ONLY);
        assertThat(set).containsAll(read);
    }

    @Test
    void shouldStartEveryFunction_withOnlyTheEnvironmentTheTemplateGivesIt() {
        LocalSettings settings = new LocalSettings(
                "table",
                "https://abc.execute-api.us-east-1.amazonaws.com/prod",
                Optional.empty(),
                "us-east-1",
                "key",
                "secret",
                Map.of("JwtSecret", "a-secret-of-at-least-thirty-two-bytes!!"),
                Optional.empty());
        Map<String, Map<String, String>> environments = LocalFunctions.environments(template, settings);
        template.functions().forEach((id, function) -> {
            Map<String, String> env = new HashMap<>(environments.get(id));
            env.keySet().removeAll(LOCAL_ONLY);
            assertThat(LambdaFunction.load(
                                    function,
                                    env,
                                    Duration.ofSeconds(3),
                                    512,
                                    new Semaphore(1),
                                    DynamoDbTable.MissingTable.FAIL,
                                    new CalledActions())
                            .name())
                    .isEqualTo(id);
        });
    }

    @Test
    void shouldRouteTheWebSocketApi_andNotifyBehindIam() {
        assertThat(template.routeSelectionExpression()).isEqualTo("$request.body.action");
        assertThat(template.webSocketRoutes()).containsOnlyKeys("$connect", "$disconnect", "$default", "ping");
        assertThat(template.webSocketRoutes().get("ping").mockResponse()).contains("{\"type\":\"pong\"}");
        assertThat(template.webSocketRoutes().get("ping").functionLogicalId())
                .as("a ping runs no function")
                .isNull();
        assertThat(template.webSocketRoutes().get("$connect").functionLogicalId())
                .isEqualTo("ConnectFunction");
        assertThat(template.webSocketRoutes().get("$connect").authorized()).isTrue();
        assertThat(template.webSocketRoutes().get("$disconnect").functionLogicalId())
                .isEqualTo("DisconnectFunction");
        assertThat(template.webSocketRoutes().get("$default").functionLogicalId())
                .isEqualTo("MessageFunction");
        assertThat(template.authorizerFunction()).contains("AuthorizeFunction");
        assertThat(template.authorizerIdentitySources()).containsExactly("route.request.querystring.token");
        assertThat(template.httpRoutes().keySet()).containsExactlyInAnyOrderElementsOf(ServerApi.routeKeys());
        assertThat(template.httpRoutes().values()).allSatisfy(route -> {
            assertThat(route.functionLogicalId()).isEqualTo("NotifyFunction");
            assertThat(route.authorized()).as(route.routeKey()).isTrue();
        });
    }

    @Test
    void shouldDescribeEveryServerRoute_inOpenApi_andNothingElse() throws Exception {
        Map<String, Object> openApi =
                new Yaml().load(Files.readString(ProjectRoot.get().resolve("docs/openapi.yaml")));
        Set<String> documented = new TreeSet<>();
        SamTemplate.map(openApi.get("paths"))
                .forEach((path, operations) -> SamTemplate.map(operations).keySet().stream()
                        .filter(method -> !method.equals("parameters"))
                        .forEach(method -> documented.add(method.toUpperCase(Locale.ROOT) + " " + path)));

        assertThat(documented)
                .containsExactlyInAnyOrderElementsOf(template.httpRoutes().keySet());
        assertThat(SamTemplate.map(SamTemplate.map(openApi.get("components")).get("securitySchemes")))
                .containsKey("sigv4");
    }

    @Test
    void shouldPointEveryFunctionAtTheJarMavenBuilds_onJava21_thatSamBuildLeavesAsItIs() throws IOException {
        String jar = "functions/target/groupcast-functions.jar";
        assertThat(template.globalFunctionProperty("Runtime")).isEqualTo("java21");
        assertThat(template.globalFunctionProperty("CodeUri"))
                .as("sam build leaves a Globals CodeUri unchanged when it moves the template into .aws-sam/build")
                .isNull();
        template.functions().forEach((id, f) -> {
            assertThat(f.properties()).as(id).containsEntry("CodeUri", jar);
            // without SkipBuild, sam build would feed the jar to its Maven workflow: "Not a directory"
            assertThat(SamTemplate.map(template.resources().get(id).get("Metadata")))
                    .as(id)
                    .containsEntry("SkipBuild", true);
        });
        // sam build writes .aws-sam/build/template.yaml with each skipped function's CodeUri relative to it
        Path built = ProjectRoot.get().resolve(".aws-sam/build");
        assertThat(built.relativize(ProjectRoot.get().resolve(jar)).toString()).isEqualTo("../../" + jar);
        String readme = Files.readString(ProjectRoot.get().resolve("README.md"));
        String local = Files.readString(ProjectRoot.get().resolve("docs/local-gateway.md"));
        assertThat(readme).contains("mvn -B -DskipTests package", "sam build", "SkipBuild");
        assertThat(local).contains("sam build", "SkipBuild", "--env-vars events/env.json");
    }

    @Test
    void shouldKeepTheGuidedDeployShort_tokenSettingsFirst_everyParameterWithADefault() {
        Map<String, Object> parameters = template.section("Parameters");

        assertThat(List.copyOf(parameters.keySet()).subList(0, 4))
                .containsExactly("JwtSecretArn", "JwksUrl", "JwtIssuer", "JwtAudience");
        parameters.forEach((name, definition) -> {
            // sam deploy --guided offers each default (Enter keeps it), but none for a NoEcho parameter
            assertThat(SamTemplate.map(definition))
                    .as(name)
                    .containsKey("Default")
                    .doesNotContainKey("NoEcho");
        });
    }

    @Test
    void shouldInvokeEveryFunctionThroughItsPublishedAlias_soThatSnapStartRestoresIt() {
        assertThat(template.globalFunctionProperty("AutoPublishAlias")).isEqualTo("live");
        List<String> invokers = new java.util.ArrayList<>();
        template.resources().forEach((id, resource) -> {
            Map<String, Object> properties = SamTemplate.map(resource.get("Properties"));
            switch (String.valueOf(resource.get("Type"))) {
                case "AWS::Lambda::EventSourceMapping", "AWS::Lambda::Permission" -> {
                    invokers.add(id);
                    assertThat(Intrinsics.refTarget(properties.get("FunctionName")))
                            .as(id + " invokes")
                            .endsWith(".Alias");
                }
                case "AWS::ApiGatewayV2::Integration", "AWS::ApiGatewayV2::Authorizer" -> {
                    Object uri = properties.getOrDefault("IntegrationUri", properties.get("AuthorizerUri"));
                    if (uri != null) {
                        invokers.add(id);
                        assertThat(Intrinsics.subReferences(uri))
                                .as(id + " invokes")
                                .anyMatch(name -> name.endsWith(".Alias"))
                                .noneMatch(name -> name.endsWith(".Arn"));
                    }
                }
                default -> {}
            }
        });
        assertThat(invokers).contains("FanoutWorkerMapping", "ConnectIntegration", "ConnectAuthorizer");
    }

    @Test
    void shouldFitTheAuthorizerAndConnectTimeLimits_inTheConnectWindow() {
        Duration limits = LocalFunctions.timeoutOf(
                        template, template.functions().get("AuthorizeFunction"))
                .plus(LocalFunctions.timeoutOf(template, template.functions().get("ConnectFunction")))
                .plus(Connection.RESTORE_LIMIT.multipliedBy(2));

        assertThat(limits).isLessThanOrEqualTo(Connection.CONNECT_WINDOW);
    }

    @Test
    void shouldExpireEveryItemByTtl_onExpiresAt() {
        Map<String, Object> table = template.properties("MembershipTable");
        assertThat(SamTemplate.map(table.get("TimeToLiveSpecification")))
                .containsEntry("AttributeName", "expiresAt")
                .containsEntry("Enabled", true);
        assertThat(table).containsEntry("BillingMode", "PAY_PER_REQUEST");
    }

    @Test
    void shouldKeepTheTable_throughStackDeletionAndReplacement_restorably() {
        Map<String, Object> table = template.resources().get("MembershipTable");
        assertThat(table).containsEntry("DeletionPolicy", "Retain").containsEntry("UpdateReplacePolicy", "Retain");
        Map<String, Object> properties = template.properties("MembershipTable");
        assertThat(properties).containsEntry("DeletionProtectionEnabled", true);
        assertThat(SamTemplate.map(properties.get("PointInTimeRecoverySpecification")))
                .containsEntry("PointInTimeRecoveryEnabled", true);
    }

    @Test
    void shouldLogAccessToBothApis_withRetention_neverTheQueryString() {
        Map<String, Object> webSocket = SamTemplate.map(SamTemplate.list(
                        SamTemplate.map(template.properties("WebSocketStage").get("AccessLogSettings"))
                                .get("Fn::If"))
                .get(1));
        Map<String, Object> server =
                SamTemplate.map(template.properties("NotifyApi").get("AccessLogSettings"));
        for (Map<String, Object> settings : List.of(webSocket, server)) {
            String format = String.valueOf(settings.get("Format"));
            assertThat(Json.parse(format).isObject()).as(format).isTrue();
            assertThat(format.toLowerCase(Locale.ROOT))
                    .as("access log format")
                    .contains("$context.requestid")
                    .doesNotContain("querystring")
                    .doesNotContain("$request")
                    .doesNotContain("$context.requestoverride");
            Object arn = SamTemplate.map(settings.get("DestinationArn")).get("Fn::GetAtt");
            String group = arn instanceof String attribute
                    ? attribute.substring(0, attribute.indexOf('.'))
                    : SamTemplate.list(arn).get(0).toString();
            assertThat(template.properties(group)).containsEntry("RetentionInDays", Map.of("Ref", "LogRetentionDays"));
        }
    }

    @Test
    void shouldThrottleBothStagesAndConnects_andReserveConcurrencyOnlyWhenAsked() {
        Map<String, Object> stage = template.properties("WebSocketStage");
        assertThat(SamTemplate.map(stage.get("DefaultRouteSettings")))
                .containsKeys("ThrottlingRateLimit", "ThrottlingBurstLimit");
        assertThat(SamTemplate.map(SamTemplate.map(stage.get("RouteSettings")).get("$connect")))
                .containsKeys("ThrottlingRateLimit", "ThrottlingBurstLimit");
        assertThat(SamTemplate.map(template.properties("NotifyApi").get("DefaultRouteSettings")))
                .containsKeys("ThrottlingRateLimit", "ThrottlingBurstLimit");
        template.functions().forEach((id, function) -> {
            List<Object> reserved =
                    SamTemplate.list(SamTemplate.map(function.properties().get("ReservedConcurrentExecutions"))
                            .get("Fn::If"));
            assertThat(reserved).as(id).hasSize(3);
            assertThat(Intrinsics.refTarget(reserved.get(2))).as(id).isEqualTo("AWS::NoValue");
            assertThat(template.parameters().get(Intrinsics.refTarget(reserved.get(1))))
                    .as(id)
                    .hasValue("0");
        });
    }
}
