package io.groupcast.core.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import io.groupcast.core.store.IdempotencyStore;
import io.groupcast.core.store.IdempotencyStore.State;
import io.groupcast.core.testing.Dynalite;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class DynamoDbIdempotencyStoreTest {
    @RegisterExtension
    static final Dynalite DYNALITE = new Dynalite();

    private final IdempotencyStore store = new DynamoDbIdempotencyStore(DYNALITE.newTable());
    private final Instant now = Instant.parse("2026-12-01T10:00:00Z");

    private IdempotencyStore.Claim claim(String key, String hash, String messageId, Instant at) {
        return store.claim(key, hash, messageId, at, at.plusSeconds(30), at.plusSeconds(3600));
    }

    @Test
    void shouldGrantAKeyOnce_andAnswerRepeatsWithTheKeptAnswer() {
        assertThat(claim("k", "h", "m1", now).state()).isEqualTo(State.GRANTED);
        assertThat(claim("k", "h", "m2", now).state()).isEqualTo(State.IN_PROGRESS);

        store.complete("k", "answer".getBytes(StandardCharsets.UTF_8));
        IdempotencyStore.Claim repeat = claim("k", "h", "m3", now.plusSeconds(60));

        assertThat(repeat.state()).isEqualTo(State.COMPLETED);
        assertThat(repeat.messageId()).isEqualTo("m1");
        assertThat(repeat.answer())
                .hasValueSatisfying(
                        a -> assertThat(new String(a, StandardCharsets.UTF_8)).isEqualTo("answer"));
    }

    @Test
    void shouldGiveAFailedKeyToItsRetry_withTheFirstMessageId() {
        claim("k", "h", "m1", now);
        store.fail("k");

        IdempotencyStore.Claim retry = claim("k", "h", "m2", now.plusSeconds(1));

        assertThat(retry.state()).isEqualTo(State.GRANTED);
        assertThat(retry.messageId()).isEqualTo("m1");
    }

    @Test
    void shouldGiveAnAbandonedKeyToItsRetry_onceItsLockRunsOut() {
        claim("k", "h", "m1", now);

        assertThat(claim("k", "h", "m2", now.plusSeconds(29)).state()).isEqualTo(State.IN_PROGRESS);
        assertThat(claim("k", "h", "m2", now.plusSeconds(31)).messageId()).isEqualTo("m1");
    }

    @Test
    void shouldNotGiveAKeyToAnotherRequest_butSayWhichHashHoldsIt() {
        claim("k", "h", "m1", now);
        store.fail("k");

        IdempotencyStore.Claim other = claim("k", "other", "m2", now.plusSeconds(1));

        assertThat(other.state()).isEqualTo(State.IN_PROGRESS);
        assertThat(other.hash()).isEqualTo("h");
    }

    @Test
    void shouldStartAfresh_onceTheWindowIsOver() {
        claim("k", "h", "m1", now);
        store.complete("k", new byte[] {1});

        IdempotencyStore.Claim later = claim("k", "other", "m2", now.plusSeconds(3601));

        assertThat(later.state()).isEqualTo(State.GRANTED);
        assertThat(later.messageId()).isEqualTo("m2");
        assertThat(later.answer()).isEmpty();
    }

    @Test
    void shouldGrantAKeyToExactlyOneOfManyConcurrentClaims() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<State>> claims = threads.invokeAll(IntStream.range(0, 16)
                    .mapToObj(i -> (java.util.concurrent.Callable<State>)
                            () -> claim("race", "h", "m" + i, now).state())
                    .toList());
            long granted = 0;
            for (Future<State> claim : claims) {
                granted += claim.get() == State.GRANTED ? 1 : 0;
            }
            assertThat(granted).isEqualTo(1);
        } finally {
            threads.shutdownNow();
        }
    }
}
