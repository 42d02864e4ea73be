package io.groupcast.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.groupcast.core.config.AwsClients;
import io.groupcast.core.config.Environment;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.testing.LoopbackManagementApi.Fault;
import io.groupcast.testing.LoopbackManagementApi;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SignedConnectionsTest {
    private final LoopbackManagementApi api = LoopbackManagementApi.start();
    private final Connections connections = AwsClients.from(Environment.of(Map.of(
            "AWS_REGION", "us-east-1",
            "AWS_ACCESS_KEY_ID", "test",
            "AWS_SECRET_ACCESS_KEY", "test",
            "MANAGEMENT_API_ENDPOINT", api.endpoint().toString()))).connections(8);

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void shouldDeliverTheExactBytes_toAConnectionIdWithEqualsSigns() {
        api.open("L0SM9cOFvHcCIhw=");

        PostOutcome outcome = connections.post(ConnectionId.of("L0SM9cOFvHcCIhw="),
                "{\"text\":\"hé\"}".getBytes(StandardCharsets.UTF_8)).join();

        assertThat(outcome).isEqualTo(PostOutcome.DELIVERED);
        assertThat(api.frames("L0SM9cOFvHcCIhw=")).containsExactly("{\"text\":\"hé\"}");
    }

    @Test
    void shouldReportGone_when410() {
        assertThat(connections.post(ConnectionId.of("closed"), new byte[] {'1'}).join()).isEqualTo(PostOutcome.GONE);
    }

    @Test
    void shouldReportFailed_whenForbiddenOrTooLarge() {
        api.open("x");
        api.open("y");
        api.fail("x", Fault.FORBIDDEN);
        api.fail("y", Fault.TOO_LARGE);

        assertThat(connections.post(ConnectionId.of("x"), new byte[] {'1'}).join()).isEqualTo(PostOutcome.FAILED);
        assertThat(connections.post(ConnectionId.of("y"), new byte[] {'1'}).join()).isEqualTo(PostOutcome.FAILED);
        assertThat(api.frames("x")).isEmpty();
    }

    @Test
    void shouldRetryOnlyThrottlingAndServerErrors() {
        api.open("t");
        api.open("e");
        api.fail("t", Fault.THROTTLED);
        api.fail("e", Fault.INTERNAL);

        assertThat(connections.post(ConnectionId.of("t"), new byte[] {'1'}).join()).isEqualTo(PostOutcome.RETRYABLE);
        assertThat(connections.post(ConnectionId.of("e"), new byte[] {'1'}).join()).isEqualTo(PostOutcome.RETRYABLE);
    }

    @Test
    void shouldSendARequestTheSdkSignerSignsTheSame() {
        api.open("s=");
        connections.post(ConnectionId.of("s="), "{\"a\":1}".getBytes(StandardCharsets.UTF_8)).join();

        Map<String, String> sent = api.lastHeaders();
        java.time.Instant signedAt = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                .withZone(java.time.ZoneOffset.UTC).parse(sent.get("x-amz-date"), java.time.Instant::from);
        var sdk = software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.create().sign(r -> r
                .identity(software.amazon.awssdk.identity.spi.AwsCredentialsIdentity.create("test", "test"))
                .request(software.amazon.awssdk.http.SdkHttpRequest.builder()
                        .method(software.amazon.awssdk.http.SdkHttpMethod.POST)
                        .uri(java.net.URI.create("http://" + sent.get("host") + api.lastRawPath())).build())
                .payload(software.amazon.awssdk.http.ContentStreamProvider.fromUtf8String("{\"a\":1}"))
                .putProperty(software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.SERVICE_SIGNING_NAME,
                        "execute-api")
                .putProperty(software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(software.amazon.awssdk.http.auth.spi.signer.HttpSigner.SIGNING_CLOCK,
                        java.time.Clock.fixed(signedAt, java.time.ZoneOffset.UTC)));

        assertThat(api.lastRawPath()).isEqualTo("/test/@connections/s%3D");
        assertThat(sent.get("authorization")).isEqualTo(sdk.request().firstMatchingHeader("Authorization").orElseThrow());
    }

    @Test
    void shouldCountATimeoutAsFailed() {
        LoopbackManagementApi slow = LoopbackManagementApi.start();
        try {
            slow.open("slow");
            slow.delay("slow", java.time.Duration.ofSeconds(10));
            Connections impatient = new SignedConnections(SignedConnections.nettyClient(4,
                    java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(5)), slow.endpoint(),
                    software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                            software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("test", "test")),
                    software.amazon.awssdk.regions.Region.US_EAST_1, java.time.Duration.ofMillis(200));

            assertThat(impatient.post(ConnectionId.of("slow"), new byte[] {'1'}).join()).isEqualTo(PostOutcome.FAILED);
        } finally {
            slow.close();
        }
    }
}
