package io.groupcast.core.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.groupcast.core.delivery.Budget;
import io.groupcast.core.model.Connection;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.RequestException;
import io.groupcast.core.model.UserId;
import io.groupcast.core.testing.InMemoryIdempotencyStore;
import io.groupcast.core.testing.InMemoryMembershipStore;
import io.groupcast.core.testing.InMemoryStreamLog;
import io.groupcast.core.testing.Outage;
import io.groupcast.core.testing.RecordingConnections;
import io.groupcast.core.testing.TestFanouts;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NotifierTest {
    private final Instant connectedAt = Instant.parse("2026-11-28T04:00:00Z");
    private final InMemoryMembershipStore store = new InMemoryMembershipStore();
    private final RecordingConnections connections = new RecordingConnections();
    private final InMemoryIdempotencyStore keys = new InMemoryIdempotencyStore(new Outage());

    @Test
    void shouldDeliverToEveryLiveConnectionOfTheUser_exceptTheExcluded() {
        store.connect(Connection.opened(ConnectionId.of("k1"), UserId.of("kevin"), connectedAt));
        store.connect(Connection.opened(ConnectionId.of("k2"), UserId.of("kevin"), connectedAt));
        store.connect(Connection.opened(ConnectionId.of("k3"), UserId.of("kevin"), connectedAt));
        store.connect(Connection.opened(ConnectionId.of("b1"), UserId.of("bob"), connectedAt));

        NotifyResult result = notifier(connectedAt.plusSeconds(10))
                .notify(
                        NotifyRequest.parse(
                                "{\"user\":\"kevin\",\"message\":{\"a\":1},\"exceptConnectionIds\":[\"k2\"]}"),
                        Budget.unlimited());

        assertThat(result)
                .isEqualTo(new NotifyResult(2, 2, 0, 0, 0, result.elapsedMs(), Map.of(), Optional.empty(), false));
        assertThat(connections.receivers()).containsExactlyInAnyOrder(ConnectionId.of("k1"), ConnectionId.of("k3"));
        assertThat(connections.frames(ConnectionId.of("k1"))).containsExactly("{\"a\":1}");
    }

    @Test
    void shouldSkipExpiredMemberships() {
        store.connect(Connection.opened(ConnectionId.of("old"), UserId.of("kevin"), connectedAt));
        store.connect(Connection.opened(ConnectionId.of("new"), UserId.of("kevin"), connectedAt.plusSeconds(3600)));

        NotifyResult result = notifier(connectedAt.plus(Connection.LIFETIME))
                .notify(NotifyRequest.parse("{\"user\":\"kevin\",\"message\":1}"), Budget.unlimited());

        assertThat(result.recipients()).isEqualTo(1);
        assertThat(connections.receivers()).containsExactly(ConnectionId.of("new"));
    }

    private Notifier notifier(Instant now) {
        return new Notifier(
                store,
                TestFanouts.bounded(connections, store, 8),
                TestFanouts.noStreams(new InMemoryStreamLog(new Outage()), store, connections),
                new Idempotency(keys, Clock.fixed(now, ZoneOffset.UTC)),
                Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void shouldDeliverANotifyOnce_whenItsIdempotencyKeyComesAgain_answeringTheFirstCounts() {
        store.connect(Connection.opened(ConnectionId.of("k1"), UserId.of("kevin"), connectedAt));
        Notifier notifier = notifier(connectedAt.plusSeconds(10));
        String body = "{\"user\":\"kevin\",\"message\":1,\"idempotencyKey\":\"order-17\"}";

        NotifyResult first = notifier.notify(NotifyRequest.parse(body), Budget.unlimited());
        NotifyResult repeat = notifier.notify(NotifyRequest.parse(body), Budget.unlimited());

        assertThat(connections.frames(ConnectionId.of("k1"))).containsExactly("1");
        assertThat(first.duplicate()).isFalse();
        assertThat(repeat.duplicate()).isTrue();
        assertThat(repeat.fanout()).isEqualTo(first.fanout());
    }

    @Test
    void shouldRefuseAnIdempotencyKey_heldByAnotherNotify_orStillRunning() {
        Notifier notifier = notifier(connectedAt);
        notifier.notify(
                NotifyRequest.parse("{\"user\":\"kevin\",\"message\":1,\"idempotencyKey\":\"k\"}"), Budget.unlimited());
        NotifyRequest running =
                NotifyRequest.parse("{\"user\":\"kevin\",\"message\":2,\"idempotencyKey\":\"running\"}");
        keys.claim(
                "notify:running",
                running.hash(),
                "m",
                connectedAt,
                connectedAt.plusSeconds(60),
                connectedAt.plusSeconds(3600));

        assertThatThrownBy(() -> notifier.notify(
                        NotifyRequest.parse("{\"user\":\"kevin\",\"message\":2,\"idempotencyKey\":\"k\"}"),
                        Budget.unlimited()))
                .isInstanceOfSatisfying(
                        RequestException.class, e -> assertThat(e.status()).isEqualTo(422));
        assertThatThrownBy(() -> notifier.notify(running, Budget.unlimited()))
                .isInstanceOfSatisfying(
                        RequestException.class, e -> assertThat(e.status()).isEqualTo(409));
    }
}
