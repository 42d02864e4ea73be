package io.groupcast.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.groupcast.core.testing.InMemoryMembershipStore;
import io.groupcast.core.testing.RecordingConnections;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class BoundedFanoutTest {
    private final InMemoryMembershipStore store = new InMemoryMembershipStore();
    private final Instant now = Instant.parse("2026-11-28T04:00:00Z");

    @Test
    void shouldCountEachOutcome_andPruneOnlyGoneConnections() {
        ConnectionId a = connect("a", "kevin");
        ConnectionId b = connect("b", "kevin");
        ConnectionId c = connect("c", "kevin");
        store.join(b, GroupName.of("room-42"), now.plusSeconds(60));
        RecordingConnections connections = new RecordingConnections()
                .answer(b, PostOutcome.GONE)
                .answer(c, PostOutcome.FAILED);

        FanoutResult result = new BoundedFanout(connections, store, 2)
                .send(List.of(a, b, c).iterator(), "\"hi\"".getBytes(StandardCharsets.UTF_8));

        assertThat(result).isEqualTo(new FanoutResult(3, 1, 1, 1));
        assertThat(connections.frames(a)).containsExactly("\"hi\"");
        assertThat(store.groupsOf(b)).isEmpty();
        assertThat(store.groupsOf(c)).containsExactly(GroupName.of("user:kevin"));
        assertThat(store.groupsOf(a)).containsExactly(GroupName.of("user:kevin"));
    }

    @Test
    @Timeout(10)
    void shouldNeverHaveMoreThanTheLimitInFlight() {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger max = new AtomicInteger();
        ConcurrentLinkedQueue<CompletableFuture<PostOutcome>> pending = new ConcurrentLinkedQueue<>();
        Connections slow = (connection, payload) -> {
            max.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            CompletableFuture<PostOutcome> future = new CompletableFuture<>();
            pending.add(future);
            return future;
        };
        Thread completer = new Thread(() -> {
            int done = 0;
            while (done < 50) {
                CompletableFuture<PostOutcome> next = pending.poll();
                if (next != null) {
                    inFlight.decrementAndGet();
                    next.complete(PostOutcome.DELIVERED);
                    done++;
                } else {
                    Thread.onSpinWait();
                }
            }
        });
        completer.setDaemon(true);
        completer.start();

        FanoutResult result = new BoundedFanout(slow, store, 4).send(
                IntStream.range(0, 50).mapToObj(i -> ConnectionId.of("c" + i)).iterator(), new byte[] {'1'});

        assertThat(result.delivered()).isEqualTo(50);
        assertThat(max.get()).isBetween(1, 4);
    }

    private ConnectionId connect(String id, String user) {
        ConnectionId connection = ConnectionId.of(id);
        store.connect(Connection.opened(connection, UserId.of(user), now));
        return connection;
    }
}
