package io.groupcast.local.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import io.groupcast.core.model.Json;
import io.groupcast.core.store.dynamodb.DynamoDbTable;
import io.groupcast.core.testing.Dynalite;
import io.groupcast.local.lambda.CalledActions;
import io.groupcast.local.lambda.LambdaFunction;
import io.groupcast.standins.LoopbackManagementApi;
import io.groupcast.standins.ProjectRoot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The documented {@code sam local invoke FUNCTION -e events/X.json --env-vars events/env.json} under SAM CLI's own
 * rules ({@link SamLocalEnvironment}): each function gets exactly what SAM would give it from template.yaml and
 * events/env.json, and runs its sample event against dynalite and a management API, as it would in SAM's container
 * with those two on the host (the only change: {@code host.docker.internal}'s ports are this test's).
 */
class SamLocalInvokeTest {
    @RegisterExtension
    static final Dynalite DYNALITE = new Dynalite();

    private final SamTemplate template = SamTemplate.read(ProjectRoot.get().resolve("template.yaml"));
    private final LoopbackManagementApi api = LoopbackManagementApi.start();
    private final JsonNode envFile = envFile();

    private static JsonNode envFile() {
        try {
            return Json.parse(Files.readString(ProjectRoot.get().resolve("events/env.json")));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void stop() {
        api.close();
    }

    /** What SAM gives {@code function}, with the host's endpoints at this test's ports. */
    private Map<String, String> environment(String function) {
        Map<String, String> env =
                new LinkedHashMap<>(new SamLocalEnvironment(template, Map.of()).of(function, envFile));
        env.replaceAll((name, value) -> value.replace(
                        "http://host.docker.internal:8000", DYNALITE.endpoint().toString())
                .replace("http://host.docker.internal:3001/prod", api.endpoint().toString()));
        return env;
    }

    @Test
    void shouldGiveEveryFunctionTheLocalEndpoints_andTheDevSecretOnlyToTheAuthorizer() {
        for (String function : template.functions().keySet()) {
            Map<String, String> env = new SamLocalEnvironment(template, Map.of()).of(function, envFile);

            assertThat(env).containsEntry("AWS_SAM_LOCAL", "true").containsEntry("AWS_LAMBDA_FUNCTION_NAME", function);
            if (env.containsKey("TABLE_NAME")) {
                assertThat(env)
                        .as(function + " must reach the local DynamoDB, not AWS's")
                        .containsEntry("TABLE_NAME", "groupcast-local")
                        .containsEntry("DYNAMODB_ENDPOINT", "http://host.docker.internal:8000");
            }
            if (env.containsKey("MANAGEMENT_API_ENDPOINT")) {
                assertThat(env).containsEntry("MANAGEMENT_API_ENDPOINT", "http://host.docker.internal:3001/prod");
            }
            assertThat(env.getOrDefault("FANOUT_QUEUE_URL", "")).as(function).isEmpty();
        }
        assertThat(new SamLocalEnvironment(template, Map.of()).of("AuthorizeFunction", envFile))
                .containsEntry("JWT_SECRET", "groupcast-local-dev-secret-change-me-0123456789")
                .containsEntry("JWT_SECRET_ARN", "");
    }

    @Test
    void shouldDropWhatTheTemplateDoesNotDeclare_asSamDoes() {
        JsonNode undeclared =
                Json.parse("{\"Parameters\":{\"NOT_DECLARED\":\"x\"},\"ConnectFunction\":{\"ALSO_NOT\":1}}");

        Map<String, String> env = new SamLocalEnvironment(template, Map.of()).of("ConnectFunction", undeclared);

        assertThat(env).doesNotContainKeys("NOT_DECLARED", "ALSO_NOT");
        assertThat(env)
                .as("a Ref of a resource is its logical id under SAM")
                .containsEntry("TABLE_NAME", "MembershipTable");
    }

    @Test
    void shouldRunEveryFunctionOnItsSample_withExactlyTheEnvironmentSamGivesIt() {
        DynamoDbTable.createIfMissing(DYNALITE.client(), "groupcast-local");
        APIGatewayV2WebSocketEvent connect = sample("connect.json", APIGatewayV2WebSocketEvent.class);
        String connection = connect.getRequestContext().getConnectionId();
        api.open(connection);
        long now = System.currentTimeMillis();

        JsonNode allowed = invoke("AuthorizeFunction", sample("authorize.json", APIGatewayCustomAuthorizerEvent.class));
        List<JsonNode> answers = new ArrayList<>();
        for (String[] step : new String[][] {
            {"ConnectFunction", "connect.json"},
            {"MessageFunction", "message.json"},
            {"DisconnectFunction", "disconnect.json"}
        }) {
            APIGatewayV2WebSocketEvent event = sample(step[1], APIGatewayV2WebSocketEvent.class);
            event.getRequestContext().setConnectedAt(now);
            answers.add(invoke(step[0], event));
            if (step[0].equals("MessageFunction")) {
                answers.add(invoke("NotifyFunction", sample("notify.json", APIGatewayV2HTTPEvent.class)));
                answers.add(invoke("FanoutWorkerFunction", sample("fanout-worker.json", SQSEvent.class)));
            }
        }

        assertThat(allowed.path("policyDocument")
                        .path("Statement")
                        .path(0)
                        .path("Effect")
                        .asText())
                .as("the dev secret verifies under SAM (AWS_SAM_LOCAL), though AWS_LAMBDA_FUNCTION_NAME is set")
                .isEqualTo("Allow");
        assertThat(answers).extracting(a -> a.path("statusCode").asInt(200)).containsOnly(200);
        assertThat(answers.get(3).path("batchItemFailures")).isEmpty();
        assertThat(Json.parse(answers.get(2).path("body").asText())
                        .path("delivered")
                        .asInt())
                .isEqualTo(1);
        assertThat(api.frames(connection)).hasSize(2);
    }

    private static <T> T sample(String file, Class<T> type) {
        return EventLoader.loadEvent(ProjectRoot.event(file), type);
    }

    @SuppressWarnings("unchecked")
    private <T> JsonNode invoke(String function, T event) {
        Map<String, String> env = environment(function);
        LambdaFunction loaded = LambdaFunction.load(
                template.functions().get(function),
                env,
                Duration.ofSeconds(Long.parseLong(env.get("AWS_LAMBDA_FUNCTION_TIMEOUT"))),
                Integer.parseInt(env.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")),
                new Semaphore(1),
                DynamoDbTable.MissingTable.FAIL,
                new CalledActions());
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        LambdaEventSerializers.serializerFor(
                        (Class<T>) event.getClass(), getClass().getClassLoader())
                .toJson(event, json);
        return Json.parse(loaded.invoke(json.toString(StandardCharsets.UTF_8)));
    }
}
