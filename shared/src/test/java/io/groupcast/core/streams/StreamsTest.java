package io.groupcast.core.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.groupcast.core.delivery.Budget;
import io.groupcast.core.delivery.Connections;
import io.groupcast.core.model.Connection;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.Grants;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.Json;
import io.groupcast.core.model.Protocol;
import io.groupcast.core.model.UserId;
import io.groupcast.core.protocol.ClientFrame;
import io.groupcast.core.protocol.ClientFrames;
import io.groupcast.core.protocol.MessageFrames;
import io.groupcast.core.protocol.ServerFrames;
import io.groupcast.core.store.dynamodb.DynamoDbMembershipStore;
import io.groupcast.core.store.dynamodb.DynamoDbStreamLog;
import io.groupcast.core.testing.Dynalite;
import io.groupcast.core.testing.MovableClock;
import io.groupcast.core.testing.TestEnvironment;
import io.groupcast.core.testing.TestFanouts;
import io.groupcast.standins.LoopbackManagementApi;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Streams against dynalite and a loopback management API: numbering, keeping, replaying, and gaps that are told. */
class StreamsTest {
    @RegisterExtension
    static final Dynalite DYNALITE = new Dynalite();

    private final LoopbackManagementApi api = LoopbackManagementApi.start();
    private final MovableClock clock = new MovableClock(Instant.parse("2026-11-28T08:00:00Z"));
    private final DynamoDbMembershipStore store = DYNALITE.newStore();
    private final Connections connections = TestEnvironment.connections(api, 8);
    private final DynamoDbStreamLog log = new DynamoDbStreamLog(store.table());
    private final Streams streams = streams(Duration.ofSeconds(120));
    private final GroupName room = GroupName.of("room-42");
    private final Connection kim = Connection.opened(
            ConnectionId.of("kim="), UserId.of("kim"), clock.instant(), Grants.NONE, Protocol.RELIABLE_V1);

    @AfterEach
    void stop() {
        api.close();
    }

    private Streams streams(Duration window) {
        return new Streams(log, store, TestFanouts.bounded(connections, store, 8), window, clock);
    }

    private void publish(String text) {
        streams.publish(
                room, MessageFrames.fromServer(("\"" + text + "\"").getBytes(StandardCharsets.UTF_8)), "id-" + text);
    }

    private String resume(String streamsJson) {
        ClientFrame.Resume request =
                (ClientFrame.Resume) ClientFrames.read("{\"action\":\"resume\",\"streams\":" + streamsJson + "}");
        return ServerFrames.tree(streams.resume(kim, request, Budget.unlimited()))
                .toString();
    }

    private List<String> sent() {
        return api.frames("kim=").stream()
                .map(f -> Json.parse(f).path("type").asText() + ":"
                        + Json.parse(f)
                                .path("seq")
                                .asText(Json.parse(f).path("from").asText() + "-"
                                        + Json.parse(f).path("to").asText()))
                .sorted()
                .toList();
    }

    @Test
    void shouldNumberEachStreamsMessages_andReplayWhatCameAfterTheClientsNumber() {
        store.connect(kim);
        store.join(kim.recipient(), room, kim.expiresAt());
        api.open("kim=");
        publish("a");
        publish("b");
        publish("c");

        String resumed = resume("{\"room-42\":1}");

        assertThat(resumed).isEqualTo("{\"type\":\"resumed\",\"heads\":{\"room-42\":3,\"user:kim\":0}}");
        assertThat(api.frames("kim="))
                .containsExactlyInAnyOrder(
                        "{\"type\":\"message\",\"stream\":\"room-42\",\"seq\":2,\"id\":\"id-b\",\"from\":\"server\",\"data\":\"b\"}",
                        "{\"type\":\"message\",\"stream\":\"room-42\",\"seq\":3,\"id\":\"id-c\",\"from\":\"server\",\"data\":\"c\"}");
    }

    @Test
    void shouldTellAGap_forWhatExpired_andForANumberNeverKept() {
        store.connect(kim);
        store.join(kim.recipient(), room, kim.expiresAt());
        api.open("kim=");
        publish("a");
        publish("b");
        clock.advance(Duration.ofSeconds(121));
        publish("c");
        log.nextSeq(room, clock.instant(), clock.instant().plusSeconds(60)); // 4: taken, never kept (its write failed)
        publish("e");
        clock.advance(Streams.IN_FLIGHT.plusSeconds(1));

        resume("{\"room-42\":0}");

        assertThat(sent()).containsExactly("gap:1-2", "gap:4-4", "message:3", "message:5");
    }

    @Test
    void shouldStopAtAMissingNumber_takenMomentsAgo_forItsMessageMayBeOnItsWay() {
        store.connect(kim);
        store.join(kim.recipient(), room, kim.expiresAt());
        api.open("kim=");
        publish("a");
        log.nextSeq(room, clock.instant(), clock.instant().plusSeconds(60)); // 2: its message not kept yet
        publish("c");
        log.nextSeq(room, clock.instant(), clock.instant().plusSeconds(60)); // 4: the same, at the head

        String resumed = resume("{\"room-42\":0}");

        assertThat(sent()).containsExactly("message:1");
        assertThat(resumed).contains("\"room-42\":4");
        clock.advance(Streams.IN_FLIGHT.plusSeconds(1));

        resume("{\"room-42\":1}");

        assertThat(sent()).containsExactly("gap:2-2", "gap:4-4", "message:1", "message:3");
    }

    @Test
    void shouldAnswerHeads_forStreamsWithoutHistory_andIgnoreStreamsTheConnectionIsNotIn() {
        store.connect(kim);
        api.open("kim=");
        publish("a");

        String resumed = resume("{\"room-42\":0,\"user:kim\":null}");

        assertThat(resumed).isEqualTo("{\"type\":\"resumed\",\"heads\":{\"user:kim\":0},\"ignored\":[\"room-42\"]}");
        assertThat(api.frames("kim=")).isEmpty();
    }

    @Test
    void shouldTakeNoNumber_whenStreamsAreOff() {
        Streams off = streams(Duration.ZERO);
        MessageFrames frames = MessageFrames.fromServer("1".getBytes(StandardCharsets.UTF_8));

        assertThat(off.publish(room, frames, "x")).isSameAs(frames);
        assertThat(log.head(room, clock.instant()).seq()).isZero();
    }
}
