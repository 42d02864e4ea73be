package io.groupcast.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TracingTest {
    @Test
    void shouldTraceOnlyWhenActive_andInsideLambda() {
        assertThat(Tracing.enabled(
                        Environment.of(Map.of("TRACING", "Active", "AWS_XRAY_DAEMON_ADDRESS", "169.254.79.129:2000"))))
                .isTrue();
        assertThat(Tracing.enabled(Environment.of(Map.of("TRACING", "Active"))))
                .as("local runs")
                .isFalse();
        assertThat(Tracing.enabled(
                        Environment.of(Map.of("TRACING", "PassThrough", "AWS_XRAY_DAEMON_ADDRESS", "x:2000"))))
                .isFalse();
        assertThat(Tracing.interceptor().getClass().getName())
                .isEqualTo("com.amazonaws.xray.interceptors.TracingInterceptor");
    }

    @Test
    void shouldBuildATracedDynamoDbClient() {
        AwsClients clients = AwsClients.from(Environment.of(Map.of(
                "AWS_REGION",
                "us-east-1",
                "AWS_ACCESS_KEY_ID",
                "a",
                "AWS_SECRET_ACCESS_KEY",
                "b",
                "TRACING",
                "Active",
                "AWS_XRAY_DAEMON_ADDRESS",
                "127.0.0.1:2000")));

        try (var dynamo = clients.dynamoDb()) {
            assertThat(dynamo.serviceClientConfiguration()
                            .overrideConfiguration()
                            .executionInterceptors())
                    .anyMatch(i -> i.getClass().getSimpleName().equals("TracingInterceptor"));
        }
    }
}
