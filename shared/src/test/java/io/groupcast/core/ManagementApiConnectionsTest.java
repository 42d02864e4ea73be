package io.groupcast.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.groupcast.core.testing.LoopbackManagementApi;
import io.groupcast.core.testing.LoopbackManagementApi.Fault;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ManagementApiConnectionsTest {
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
}
