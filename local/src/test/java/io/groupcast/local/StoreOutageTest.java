package io.groupcast.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.groupcast.core.testing.Dynalite;
import io.groupcast.core.testing.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** DynamoDB going away mid-test: clear answers (503, 500, an error frame), never a hang or a stack trace. */
class StoreOutageTest {
    private final Dynalite dynalite = new Dynalite().start();
    private final HandlerHarness system = new HandlerHarness(dynalite, TestTokens.SECRET);

    @AfterEach
    void close() {
        system.close();
        dynalite.stop();
    }

    @Test
    void shouldAnswer503ToNotify_500ToConnect_andAnErrorFrame_whenTheStoreIsDown() {
        String kevin = TestTokens.hs256("kevin");
        assertThat(system.connect("k1", kevin)).isEqualTo(200);
        assertThat(system.notify("{\"user\":\"kevin\",\"message\":1}")
                        .path("statusCode")
                        .asInt())
                .isEqualTo(200);

        dynalite.stop();

        JsonNode notify = system.notify("{\"user\":\"kevin\",\"message\":2}");
        assertThat(notify.path("statusCode").asInt()).isEqualTo(503);
        assertThat(notify.path("body").toString())
                .isEqualTo(
                        "{\"error\":\"store_unavailable\",\"message\":\"the membership store is unavailable; try again\"}");
        assertThat(system.connect("k2", kevin)).isEqualTo(500);
        assertThat(system.frame("k1", "kevin", "{\"action\":\"join\",\"group\":\"room-1\"}"))
                .isEqualTo(400);
        assertThat(system.api.frames("k1"))
                .containsExactly(
                        "1",
                        "{\"type\":\"error\",\"error\":\"store_unavailable\",\"message\":\"the membership store is unavailable; try again\"}");
        assertThat(system.disconnect("k1")).isEqualTo(500);
        assertThat(system.notify("{\"user\":\"kevin\"}").path("statusCode").asInt())
                .as("a client's mistake is still a 400 while the store is down")
                .isEqualTo(400);
    }
}
