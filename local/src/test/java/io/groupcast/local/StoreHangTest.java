package io.groupcast.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.groupcast.core.config.AwsClients;
import io.groupcast.core.model.Json;
import io.groupcast.core.testing.Dynalite;
import io.groupcast.core.testing.TestTokens;
import io.groupcast.local.lambda.LocalFunctions;
import java.time.Duration;
import java.util.List;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A store that accepts connections and never answers (dynalite stopped with SIGSTOP): every edge answers within the
 * documented bound (one store call gives up after {@link AwsClients#STORE_CALL_TIMEOUT}, and calls in the following seconds fail at
 * once) and inside its function's time limit, and all is well again once the store answers.
 */
class StoreHangTest {
    @RegisterExtension
    static final Dynalite DYNALITE = new Dynalite();

    /** Scheduling slack on a busy machine: the answer is due at the call timeout, give or take this. */
    private static final Duration SLACK = Duration.ofSeconds(2);

    private HandlerHarness system;

    @AfterEach
    void resume() {
        DYNALITE.paused(false);
        if (system != null) {
            system.close();
        }
    }

    @Test
    void shouldAnswerNotifyConnectAndJoin_withinTheCallTimeout_whenTheStoreHangs() {
        system = new HandlerHarness(DYNALITE, TestTokens.SECRET);
        assertThat(system.connect("k1", TestTokens.hs256("kevin", TestTokens.JOIN_ANY)))
                .isEqualTo(200);

        DYNALITE.paused(true);

        Timed notify = Timed.of(() -> system.notify("{\"user\":\"kevin\",\"message\":1}")
                .path("statusCode")
                .asInt());
        Timed connect = Timed.of(() -> system.connect("k2", TestTokens.hs256("kevin")));
        Timed join = Timed.of(() -> system.frame("k1", "kevin", "{\"action\":\"join\",\"group\":\"room-1\"}"));
        Timed twelveMore = Timed.of(() -> {
            int refused = 0;
            for (int i = 2; i <= 13; i++) { // a connection's frames run one after another, as a burst of joins
                refused += system.frame("k1", "kevin", "{\"action\":\"join\",\"group\":\"room-" + i + "\"}") == 400
                        ? 1
                        : 0;
            }
            return refused;
        });

        assertThat(List.of(notify.status, connect.status, join.status)).containsExactly(503, 500, 400);
        assertThat(Json.parse(system.api.frames("k1").get(0)).path("error").asText())
                .isEqualTo("store_unavailable");
        System.out.printf(
                "store hang: notify %d ms, connect %d ms, join %d ms%n",
                notify.elapsed.toMillis(), connect.elapsed.toMillis(), join.elapsed.toMillis());
        Duration bound = AwsClients.STORE_CALL_TIMEOUT.plus(SLACK);
        assertThat(notify.elapsed).isLessThan(bound).isLessThan(timeout("NotifyFunction"));
        assertThat(connect.elapsed).isLessThan(bound).isLessThan(timeout("ConnectFunction"));
        assertThat(join.elapsed).isLessThan(bound).isLessThan(timeout("MessageFunction"));
        assertThat(twelveMore.status).as("every frame of the burst refused").isEqualTo(12);
        assertThat(twelveMore.elapsed)
                .as("the frames after the first that waited fail at once, not 6 s each: all answered within the bound")
                .isLessThan(bound);
        assertThat(system.api.frames("k1")).hasSize(13);

        DYNALITE.paused(false);
        Eventually.await(
                "the store answers notifies again",
                Duration.ofSeconds(30),
                () -> system.notify("{\"user\":\"nobody\",\"message\":0}")
                                .path("statusCode")
                                .asInt()
                        == 200);
        JsonNode after = system.notify("{\"user\":\"kevin\",\"message\":2}");
        assertThat(after.path("statusCode").asInt()).isEqualTo(200);
        assertThat(after.path("body").path("delivered").asInt()).isEqualTo(1);
    }

    private Duration timeout(String function) {
        return LocalFunctions.timeoutOf(
                system.template, system.template.functions().get(function));
    }

    /** A status and how long it took to get. */
    private record Timed(int status, Duration elapsed) {
        static Timed of(IntSupplier call) {
            long started = System.nanoTime();
            int status = call.getAsInt();
            return new Timed(status, Duration.ofNanos(System.nanoTime() - started));
        }
    }
}
