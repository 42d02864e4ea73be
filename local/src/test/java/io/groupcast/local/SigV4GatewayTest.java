package io.groupcast.local;

import static io.groupcast.local.GatewayExtension.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.groupcast.client.ContentType;
import io.groupcast.client.GroupcastClient;
import io.groupcast.client.NotificationStatus;
import io.groupcast.core.model.Json;
import io.groupcast.local.lambda.LocalSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.ForbiddenException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * {@code --verify-sigv4 KEY:SECRET} checks every API a caller signs for, as AWS does: the HTTP API, the
 * {@code @connections} management API and the local SQS endpoint, each refusing in the error shape its SDK reads; the
 * gateway's own functions sign with that key, so they keep working.
 */
class SigV4GatewayTest {
    private static final String KEY = "AKIDGROUPCASTSIGV4";
    private static final String SECRET = "local-secret-for-the-sigv4-test";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.with("--verify-sigv4", KEY + ":" + SECRET);

    @Test
    void shouldRefuseManagementCalls_unsignedOrSignedWithAnotherKey_asForbiddenException() throws Exception {
        TestClient client = GATEWAY.connect("sig-managed");
        String id = GATEWAY.members("user:sig-managed", 1).get(0);

        try (ApiGatewayManagementApiClient wrongSecret = management(KEY, "not-the-secret-of-this-key");
                ApiGatewayManagementApiClient wrongKey = management("AKIDSOMEONEELSE", SECRET);
                ApiGatewayManagementApiClient signed = management(KEY, SECRET)) {
            assertThatThrownBy(() -> wrongSecret.postToConnection(
                            b -> b.connectionId(id).data(SdkBytes.fromUtf8String("\"forged\""))))
                    .isInstanceOfSatisfying(
                            ForbiddenException.class,
                            e -> assertThat(e.statusCode()).isEqualTo(403));
            assertThatThrownBy(() -> wrongKey.deleteConnection(b -> b.connectionId(id)))
                    .isInstanceOf(ForbiddenException.class);
            assertThatThrownBy(() -> wrongKey.getConnection(b -> b.connectionId(id)))
                    .isInstanceOf(ForbiddenException.class);
            HttpResponse<String> unsigned = HTTP.send(
                    HttpRequest.newBuilder(URI.create(GATEWAY.gateway().managementEndpoint() + "/@connections/"
                                    + GatewayExtension.encoded(id)))
                            .POST(HttpRequest.BodyPublishers.ofString("\"unsigned\""))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(unsigned.statusCode()).isEqualTo(403);
            assertThat(unsigned.headers().firstValue("x-amzn-ErrorType")).contains("ForbiddenException");

            signed.postToConnection(b -> b.connectionId(id).data(SdkBytes.fromUtf8String("\"signed\"")));
        }

        assertThat(client.next(WAIT)).isEqualTo("\"signed\"");
        assertThat(client.isOpen()).isTrue();
        assertThat(client.received()).containsExactly("\"signed\"");
    }

    @Test
    void shouldRefuseSqsCalls_unsignedOrSignedWithAnotherKey_inTheSqsErrorShape() throws Exception {
        String queue = LocalSettings.queueUrl(GATEWAY.gateway().sqsEndpoint(), "FanoutDeadLetterQueue");

        try (SqsClient wrongSecret = sqs(KEY, "not-the-secret-of-this-key");
                SqsClient wrongKey = sqs("AKIDSOMEONEELSE", SECRET);
                SqsClient signed = sqs(KEY, SECRET)) {
            assertThatThrownBy(
                            () -> wrongSecret.sendMessage(b -> b.queueUrl(queue).messageBody("forged")))
                    .isInstanceOfSatisfying(SqsException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(403);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("SignatureDoesNotMatch");
                    });
            assertThatThrownBy(() -> wrongKey.sendMessage(b -> b.queueUrl(queue).messageBody("forged")))
                    .isInstanceOfSatisfying(SqsException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(403);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidClientTokenId");
                    });
            HttpResponse<String> unsigned = HTTP.send(
                    HttpRequest.newBuilder(URI.create(GATEWAY.gateway().sqsEndpoint() + "/"))
                            .header("X-Amz-Target", "AmazonSQS.SendMessage")
                            .header("Content-Type", "application/x-amz-json-1.0")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"QueueUrl\":\"" + queue + "\",\"MessageBody\":\"unsigned\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(unsigned.statusCode()).isEqualTo(403);
            assertThat(Json.parse(unsigned.body()).path("__type").asText())
                    .isEqualTo("com.amazonaws.sqs#MissingAuthenticationToken");

            assertThat(signed.sendMessage(b -> b.queueUrl(queue).messageBody("signed"))
                            .messageId())
                    .isNotBlank();
        }
    }

    @Test
    void shouldLetTheGatewaysOwnFunctionsPostAndQueue_signingWithTheKey() {
        TestClient client = GATEWAY.connect("sig-own");
        GATEWAY.members("user:sig-own", 1);

        try (GroupcastClient server = GroupcastClient.builder()
                .endpoint(GATEWAY.gateway().httpUrl())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY, SECRET)))
                .build()) {
            assertThat(server.sendToUser("sig-own", "{\"now\":1}", ContentType.APPLICATION_JSON)
                            .delivered())
                    .isEqualTo(1);
            assertThat(client.next(WAIT)).isEqualTo("{\"now\":1}");

            String started = server.startSendToGroup("user:sig-own", java.util.Map.of("queued", 1));
            assertThat(client.next(Duration.ofSeconds(30))).isEqualTo("{\"queued\":1}");
            NotificationStatus[] status = new NotificationStatus[1];
            Eventually.await("the queued send completes", WAIT, () -> {
                status[0] = server.notificationStatus(started);
                return status[0].completed();
            });
            assertThat(status[0].delivered()).as(status[0].toString()).isEqualTo(1);
        }
    }

    private static ApiGatewayManagementApiClient management(String key, String secret) {
        return signedWith(
                ApiGatewayManagementApiClient.builder(), GATEWAY.gateway().managementEndpoint(), key, secret);
    }

    private static SqsClient sqs(String key, String secret) {
        return signedWith(SqsClient.builder(), GATEWAY.gateway().sqsEndpoint(), key, secret);
    }

    /** An SDK client of the gateway's {@code endpoint}, signing with this key, trying each call once. */
    private static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C signedWith(
            B builder, String endpoint, String key, String secret) {
        return builder.endpointOverride(URI.create(endpoint))
                .region(Region.US_EAST_1)
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD).retryStrategy(b -> b.maxAttempts(1)))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(key, secret)))
                .build();
    }
}
