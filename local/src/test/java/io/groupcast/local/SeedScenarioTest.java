package io.groupcast.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.groupcast.core.testing.Dynalite;
import io.groupcast.core.testing.NotifyAnswers;
import io.groupcast.core.testing.TestTokens;
import java.time.Instant;
import java.util.Date;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The seed scenario through the template's handlers, dynalite and a loopback management API. */
class SeedScenarioTest {
    @RegisterExtension
    static final Dynalite DYNALITE = new Dynalite();

    private final HandlerHarness system = new HandlerHarness(DYNALITE, TestTokens.SECRET);

    @AfterEach
    void close() {
        system.close();
    }

    @Test
    void shouldDeliverToEveryTabOfKevin_andToOneFewerAfterATabCloses() {
        String kevin = TestTokens.hs256("kevin");
        assertThat(system.connect("kevinTab1=", kevin)).isEqualTo(200);
        assertThat(system.connect("kevinTab2=", kevin)).isEqualTo(200);
        assertThat(system.connect("kevinTab3=", kevin)).isEqualTo(200);
        assertThat(system.connect("bobTab1=", TestTokens.hs256("bob"))).isEqualTo(200);

        JsonNode first = system.notify("{\"user\":\"kevin\",\"message\":{\"text\":\"hello\"}}");

        assertThat(first.path("statusCode").asInt()).isEqualTo(200);
        assertThat(NotifyAnswers.counts(first.path("body").toString()))
                .isEqualTo(NotifyAnswers.expected(3, 3, 0, 0, 0));
        assertThat(system.api.receivers()).containsExactlyInAnyOrder("kevinTab1=", "kevinTab2=", "kevinTab3=");
        assertThat(system.api.frames("kevinTab2=")).containsExactly("{\"text\":\"hello\"}");

        assertThat(system.disconnect("kevinTab2=")).isEqualTo(200);
        JsonNode second = system.notify("{\"user\":\"kevin\",\"message\":\"again\"}");

        assertThat(second.path("body").path("recipients").asInt()).isEqualTo(2);
        assertThat(second.path("body").path("delivered").asInt()).isEqualTo(2);
        assertThat(system.api.frames("kevinTab1=")).containsExactly("{\"text\":\"hello\"}", "\"again\"");
        assertThat(system.api.frames("kevinTab2=")).containsExactly("{\"text\":\"hello\"}");
        assertThat(system.api.frames("bobTab1=")).isEmpty();
    }

    @Test
    void shouldPruneExactlyTheGoneConnection_whenItsDisconnectNeverCame() {
        String kevin = TestTokens.hs256("kevin");
        system.connect("alive=", kevin);
        system.connect("vanished=", kevin, Instant.now().minusSeconds(60));
        system.api.close("vanished=");

        JsonNode first = system.notify("{\"user\":\"kevin\",\"message\":1}");
        JsonNode second = system.notify("{\"user\":\"kevin\",\"message\":2}");

        assertThat(NotifyAnswers.counts(first.path("body").toString()))
                .isEqualTo(NotifyAnswers.expected(2, 1, 1, 0, 0));
        assertThat(NotifyAnswers.counts(second.path("body").toString()))
                .isEqualTo(NotifyAnswers.expected(1, 1, 0, 0, 0));
        assertThat(system.api.frames("alive=")).containsExactly("1", "2");
    }

    @Test
    void shouldDeliverToNamedGroups_joinedByClientFrames_exceptTheSender() {
        system.connect("k1", TestTokens.hs256("kevin", TestTokens.JOIN_ANY));
        system.connect("b1", TestTokens.hs256("bob", TestTokens.JOIN_ANY));
        assertThat(system.frame("k1", "kevin", "{\"action\":\"join\",\"group\":\"room-42\"}"))
                .isEqualTo(200);
        assertThat(system.frame("b1", "bob", "{\"action\":\"join\",\"group\":\"room-42\"}"))
                .isEqualTo(200);
        assertThat(system.frame("b1", "bob", "{\"action\":\"join\",\"group\":\"user:kevin\"}"))
                .isEqualTo(400);

        JsonNode answer = system.notify("{\"group\":\"room-42\",\"message\":\"hi\",\"exceptConnectionIds\":[\"b1\"]}");
        JsonNode kevinOnly = system.notify("{\"user\":\"kevin\",\"message\":\"private\"}");

        assertThat(answer.path("body").path("delivered").asInt()).isEqualTo(1);
        assertThat(kevinOnly.path("body").path("delivered").asInt()).isEqualTo(1);
        assertThat(system.api.frames("k1"))
                .containsExactly(
                        "{\"type\":\"ack\",\"action\":\"join\",\"group\":\"room-42\"}", "\"hi\"", "\"private\"");
        assertThat(system.api.frames("b1"))
                .containsExactly(
                        "{\"type\":\"ack\",\"action\":\"join\",\"group\":\"room-42\"}",
                        "{\"type\":\"error\",\"error\":\"reserved_group\",\"message\":"
                                + "\"groups starting with \\\"user:\\\" are reserved for each user's own connections\"}");
    }

    @Test
    void shouldRefuseTheConnection_andWriteNothing_whenTheTokenIsBad() {
        String forged = TestTokens.hs256(
                "wrong-secret-wrong-secret-wrong-secret-01",
                c -> c.subject("mallory").expirationTime(Date.from(Instant.now().plusSeconds(60))));

        assertThat(system.connect("m1", forged)).isEqualTo(403);
        assertThat(system.connect("m2", "")).isEqualTo(403);
        assertThat(DYNALITE.client().scan(b -> b.tableName(system.table)).count())
                .isZero();
    }

    @Test
    void shouldAnswerClientErrors_withJsonAndNoChange() {
        JsonNode malformed = system.notify("{\"user\":");
        JsonNode both = system.notify("{\"user\":\"a\",\"group\":\"b\",\"message\":1}");
        JsonNode huge = system.notify("{\"group\":\"g\",\"message\":\"" + "x".repeat(140_000) + "\"}");

        assertThat(malformed.path("statusCode").asInt()).isEqualTo(400);
        assertThat(malformed.path("body").path("error").asText()).isEqualTo("malformed_json");
        assertThat(both.path("statusCode").asInt()).isEqualTo(400);
        assertThat(both.path("body").path("error").asText()).isEqualTo("invalid_target");
        assertThat(huge.path("statusCode").asInt()).isEqualTo(413);
        assertThat(huge.path("body").path("message").asText()).contains("128 KB");
        assertThat(system.api.posts()).isZero();
    }
}
