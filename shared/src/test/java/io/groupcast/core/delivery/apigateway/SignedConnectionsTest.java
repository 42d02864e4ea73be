package io.groupcast.core.delivery.apigateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.groupcast.core.delivery.Connections;
import io.groupcast.core.delivery.PostOutcome;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.testing.TestEnvironment;
import io.groupcast.standins.LoopbackManagementApi;
import io.groupcast.standins.LoopbackManagementApi.Fault;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;

class SignedConnectionsTest {
    private final LoopbackManagementApi api = LoopbackManagementApi.start();
    private final Connections connections = TestEnvironment.connections(api, 8);

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void shouldDeliverTheExactBytes_toAConnectionIdWithEqualsSigns() {
        api.open("L0SM9cOFvHcCIhw=");

        PostOutcome outcome = connections
                .post(ConnectionId.of("L0SM9cOFvHcCIhw="), "{\"text\":\"hé\"}".getBytes(StandardCharsets.UTF_8))
                .join();

        assertThat(outcome).isEqualTo(PostOutcome.DELIVERED);
        assertThat(api.frames("L0SM9cOFvHcCIhw=")).containsExactly("{\"text\":\"hé\"}");
    }

    /** Each answer of the management API, and what Groupcast makes of it. */
    static Stream<Arguments> answers() {
        return Stream.of(
                Arguments.of(Fault.GONE, PostOutcome.GONE),
                Arguments.of(Fault.FORBIDDEN, PostOutcome.FORBIDDEN),
                Arguments.of(Fault.TOO_LARGE, PostOutcome.TOO_LARGE),
                Arguments.of(Fault.THROTTLED, PostOutcome.THROTTLED),
                Arguments.of(Fault.INTERNAL, PostOutcome.SERVER_ERROR));
    }

    @ParameterizedTest(name = "{0} is {1}")
    @MethodSource("answers")
    void shouldRetryOnlyThrottlingAndServerErrors_andTellGoneFromFailed(Fault answer, PostOutcome expected) {
        api.open("c");
        api.fail("c", answer);

        assertThat(connections.post(ConnectionId.of("c"), new byte[] {'1'}).join())
                .isEqualTo(expected);
        assertThat(api.frames("c")).isEmpty();
    }

    @Test
    void shouldSendARequestTheSdkSignerSignsTheSame() {
        api.open("s=");
        connections
                .post(ConnectionId.of("s="), "{\"a\":1}".getBytes(StandardCharsets.UTF_8))
                .join();

        Map<String, String> sent = api.lastHeaders();
        Instant signedAt = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                .withZone(ZoneOffset.UTC)
                .parse(sent.get("x-amz-date"), Instant::from);
        var sdk = AwsV4HttpSigner.create()
                .sign(r -> r.identity(AwsCredentialsIdentity.create("test", "test"))
                        .request(SdkHttpRequest.builder()
                                .method(SdkHttpMethod.POST)
                                .uri(URI.create("http://" + sent.get("host") + api.lastRawPath()))
                                .build())
                        .payload(ContentStreamProvider.fromUtf8String("{\"a\":1}"))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "execute-api")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                        .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(signedAt, ZoneOffset.UTC)));

        assertThat(api.lastRawPath()).isEqualTo("/test/@connections/s%3D");
        assertThat(sent.get("authorization"))
                .isEqualTo(sdk.request().firstMatchingHeader("Authorization").orElseThrow());
    }

    @Test
    void shouldCountATimeoutAsFailed() {
        LoopbackManagementApi slow = LoopbackManagementApi.start();
        try {
            slow.open("slow");
            slow.delay("slow", Duration.ofSeconds(10));
            Connections impatient = new SignedConnections(
                    SignedConnections.nettyClient(4, Duration.ofSeconds(1), Duration.ofSeconds(5)),
                    slow.endpoint(),
                    StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")),
                    Region.US_EAST_1,
                    Duration.ofMillis(200));

            assertThat(impatient.post(ConnectionId.of("slow"), new byte[] {'1'}).join())
                    .isEqualTo(PostOutcome.TIMED_OUT);
        } finally {
            slow.close();
        }
    }
}
