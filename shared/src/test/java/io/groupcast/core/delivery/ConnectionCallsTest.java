package io.groupcast.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.groupcast.core.config.AwsClients;
import io.groupcast.core.model.Connection;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.Protocol;
import io.groupcast.core.model.Recipient;
import io.groupcast.core.model.UserId;
import io.groupcast.core.protocol.MessageFrames;
import io.groupcast.core.testing.InMemoryMembershipStore;
import io.groupcast.core.testing.RecordingConnections;
import io.groupcast.core.testing.RecordingLifecycleEvents;
import io.groupcast.core.testing.TestFanouts;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ConnectionCallsTest {
    private final InMemoryMembershipStore store = new InMemoryMembershipStore();
    private final Instant now = Instant.parse("2026-11-28T04:00:00Z");

    @Test
    void shouldCountEachOutcome_andPruneOnlyGoneConnections() {
        ConnectionId a = connect("a", "kevin");
        ConnectionId b = connect("b", "kevin");
        ConnectionId c = connect("c", "kevin");
        store.join(b, GroupName.of("room-42"), now.plusSeconds(60));
        RecordingConnections connections =
                new RecordingConnections().answer(b, PostOutcome.GONE).answer(c, PostOutcome.FAILED);

        FanoutResult result = TestFanouts.bounded(connections, store, 2)
                .send(
                        plain(
                                List.of(a, b, c).iterator(),
                                MessageFrames.fromServer("\"hi\"".getBytes(StandardCharsets.UTF_8))),
                        Budget.unlimited());

        assertThat(result).isEqualTo(new FanoutResult(3, 1, 1, 1, 0, Map.of("error", 1)));
        assertThat(connections.frames(a)).containsExactly("\"hi\"");
        assertThat(store.groupsOf(b)).isEmpty();
        assertThat(store.groupsOf(c)).containsExactly(GroupName.of("user:kevin"));
        assertThat(store.groupsOf(a)).containsExactly(GroupName.of("user:kevin"));
    }

    @Test
    void shouldPutADisconnectedEvent_forEachConnectionItPrunes() {
        ConnectionId a = connect("a", "kevin");
        ConnectionId b = connect("b", "kevin");
        RecordingLifecycleEvents events = new RecordingLifecycleEvents();
        Clock clock = Clock.fixed(now.plusSeconds(3600), ZoneOffset.UTC);

        AwsClients.calls(
                        store,
                        new RecordingConnections().answer(b, PostOutcome.GONE),
                        FanoutSettings.defaults(),
                        clock,
                        events)
                .send(
                        plain(List.of(a, b).iterator(), MessageFrames.fromServer("1".getBytes(StandardCharsets.UTF_8))),
                        Budget.unlimited());

        assertThat(events.put())
                .containsExactly(
                        "Disconnected {\"connectionId\":\"b\",\"reason\":\"gone\",\"at\":" + clock.millis() + "}");
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

        FanoutResult result = TestFanouts.bounded(slow, store, 4)
                .send(
                        plain(
                                IntStream.range(0, 50)
                                        .mapToObj(i -> ConnectionId.of("c" + i))
                                        .iterator(),
                                MessageFrames.fromServer(new byte[] {'1'})),
                        Budget.unlimited());

        assertThat(result.delivered()).isEqualTo(50);
        assertThat(max.get()).isBetween(1, 4);
    }

    /** Each id, a plain recipient of these frames. */
    private static Iterator<Delivery> plain(Iterator<ConnectionId> ids, MessageFrames frames) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return ids.hasNext();
            }

            @Override
            public Delivery next() {
                return new Delivery(Recipient.plain(ids.next()), frames);
            }
        };
    }

    @Test
    void shouldSendEachRecipientItsProtocolsFrame_envelopedForJsonV1_numberedForReliableV1() {
        RecordingConnections connections = new RecordingConnections();
        ConnectionId plain = ConnectionId.of("plain");
        ConnectionId enveloped = ConnectionId.of("enveloped");
        ConnectionId reliable = ConnectionId.of("reliable");
        MessageFrames message = MessageFrames.fromServer("{\"type\":\"ack\"}".getBytes(StandardCharsets.UTF_8))
                .inStream("user:kevin", 17, "id-1", "e1");

        TestFanouts.bounded(connections, store, 4)
                .send(
                        List.of(
                                        new Delivery(Recipient.plain(plain), message),
                                        new Delivery(new Recipient(enveloped, Protocol.JSON_V1), message),
                                        new Delivery(new Recipient(reliable, Protocol.RELIABLE_V1), message))
                                .iterator(),
                        Budget.unlimited());

        assertThat(connections.frames(plain)).containsExactly("{\"type\":\"ack\"}");
        assertThat(connections.frames(enveloped))
                .containsExactly("{\"type\":\"message\",\"from\":\"server\",\"data\":{\"type\":\"ack\"}}");
        assertThat(connections.frames(reliable))
                .containsExactly("{\"type\":\"message\",\"stream\":\"user:kevin\",\"seq\":17,\"id\":\"id-1\","
                        + "\"epoch\":\"e1\",\"from\":\"server\",\"data\":{\"type\":\"ack\"}}");
    }

    private ConnectionId connect(String id, String user) {
        ConnectionId connection = ConnectionId.of(id);
        store.connect(Connection.opened(connection, UserId.of(user), now));
        return connection;
    }

    @Test
    @Timeout(10)
    void shouldStartPosting_beforeTheLastRecipientIsRead() {
        RecordingConnections connections = new RecordingConnections();
        Iterator<ConnectionId> pages = new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < 10;
            }

            @Override
            public ConnectionId next() {
                if (next == 5) {
                    // the second "page" is read only once the first page's posts have gone out
                    long deadline = System.nanoTime() + 5_000_000_000L;
                    while (connections.receivers().size() < 5) {
                        if (System.nanoTime() > deadline) {
                            throw new AssertionError("nothing was posted while reading");
                        }
                        Thread.onSpinWait();
                    }
                }
                return ConnectionId.of("c" + next++);
            }
        };

        FanoutResult result = TestFanouts.bounded(connections, store, 64)
                .send(plain(pages, MessageFrames.fromServer(new byte[] {'1'})), Budget.unlimited());

        assertThat(result.delivered()).isEqualTo(10);
    }

    @Test
    void shouldBackOffWithFullJitter_withinTheCap() {
        ConnectionCalls fanout = TestFanouts.bounded(new RecordingConnections(), store, FanoutSettings.defaults());
        for (int retry = 0; retry < 6; retry++) {
            long cap = Math.min(2000, 100L << retry);
            for (int i = 0; i < 200; i++) {
                assertThat(fanout.backoff(retry)).isBetween(0L, cap);
            }
        }
        assertThat(IntStream.range(0, 200)
                        .mapToLong(i -> fanout.backoff(4))
                        .distinct()
                        .count())
                .as("jittered, not fixed")
                .isGreaterThan(50);
    }
}
