package io.groupcast.core.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
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
import io.groupcast.core.store.StoreUnavailableException;
import io.groupcast.core.store.StreamLog;
import io.groupcast.core.store.dynamodb.DynamoDbMembershipStore;
import io.groupcast.core.store.dynamodb.DynamoDbStreamLog;
import io.groupcast.core.testing.Dynalite;
import io.groupcast.core.testing.MovableClock;
import io.groupcast.core.testing.TestEnvironment;
import io.groupcast.core.testing.TestFanouts;
import io.groupcast.standins.LoopbackManagementApi;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Streams against dynalite and a loopback management API: numbering, keeping, and replaying to exactly those who may
 * read, in order, with every gap told.
 */
class StreamsTest {
    @RegisterExtension
    static final Dynalite DYNALITE = new Dynalite();

    private final LoopbackManagementApi api = LoopbackManagementApi.start();
    private final MovableClock clock = new MovableClock(Instant.parse("2026-11-28T08:00:00Z"));
    private final DynamoDbMembershipStore store = DYNALITE.newStore();
    private final Connections connections = TestEnvironment.connections(api, 8);
    private final DynamoDbStreamLog log = new DynamoDbStreamLog(store.table());
    private final Streams streams = streams(log, Duration.ofSeconds(120));
    private final GroupName room = GroupName.of("room-42");
    private final Connection kim = reliable("kim=", "kim");

    @AfterEach
    void stop() {
        api.close();
    }

    private Streams streams(StreamLog with, Duration window) {
        return TestFanouts.streams(with, store, connections, window, clock);
    }

    private Connection reliable(String id, String user) {
        return Connection.opened(
                ConnectionId.of(id), UserId.of(user), clock.instant(), Grants.NONE, Protocol.RELIABLE_V1);
    }

    /** A connection opens and joins the room, as $connect and a join frame do. */
    private void joins(Connection connection) {
        store.connect(connection);
        api.open(connection.id().value());
        streams.joined(connection, GroupName.ofUser(connection.user()), -1);
        streams.joined(connection, room, -1);
        store.join(connection.recipient(), room, connection.expiresAt());
    }

    private MessageFrames publish(String text, ConnectionId... except) {
        return streams.publish(room, frames(text), new Streams.Message("id-" + text, Set.of(except), false));
    }

    private static MessageFrames frames(String text) {
        return MessageFrames.fromServer(("\"" + text + "\"").getBytes(StandardCharsets.UTF_8));
    }

    private JsonNode resume(Connection connection, String fields) {
        ClientFrame.Resume request = (ClientFrame.Resume) ClientFrames.read("{\"action\":\"resume\"," + fields + "}");
        return ServerFrames.tree(streams.resume(connection, request, Budget.unlimited()));
    }

    /** What a connection was sent, replay frames unpacked, in order: message:seq, skip:seq, gap:from-to. */
    private List<String> sent(Connection connection) {
        List<String> seen = new ArrayList<>();
        for (String frame : api.frames(connection.id().value())) {
            JsonNode node = Json.parse(frame);
            if (node.path("type").asText().equals("replay")) {
                node.path("frames").forEach(each -> seen.add(describe(each)));
            } else {
                seen.add(describe(node));
            }
        }
        return seen;
    }

    private static String describe(JsonNode frame) {
        String type = frame.path("type").asText();
        return switch (type) {
            case "gap" ->
                "gap:" + frame.path("from").asText() + "-" + frame.path("to").asText("end");
            case "message", "skip" -> type + ":" + frame.path("seq").asText();
            default -> type;
        };
    }

    @Test
    void shouldNumberEachStreamsMessages_andReplayThemInOrder_inOneReplayFrame() {
        joins(kim);
        publish("a");
        publish("b");
        publish("c");
        String epoch = log.head(room, clock.instant()).epoch();

        JsonNode resumed = resume(kim, "\"streams\":{\"room-42\":1}");

        assertThat(resumed.toString())
                .isEqualTo(
                        "{\"type\":\"resumed\",\"heads\":{\"room-42\":3},\"epochs\":{\"room-42\":\"" + epoch + "\"}}");
        assertThat(api.frames("kim="))
                .containsExactly("{\"type\":\"replay\",\"stream\":\"room-42\",\"frames\":["
                        + "{\"type\":\"message\",\"stream\":\"room-42\",\"seq\":2,\"id\":\"id-b\",\"epoch\":\"" + epoch
                        + "\",\"from\":\"server\",\"data\":\"b\"},"
                        + "{\"type\":\"message\",\"stream\":\"room-42\",\"seq\":3,\"id\":\"id-c\",\"epoch\":\"" + epoch
                        + "\",\"from\":\"server\",\"data\":\"c\"}]}");
    }

    @Test
    void shouldReplayAUserStreamToAPlainConnection_onePostAtATime_inOrder() {
        Connection plain = Connection.opened(ConnectionId.of("plain="), UserId.of("kim"), clock.instant());
        joins(kim); // a reliable connection of the same user makes the user stream resumable
        store.connect(plain);
        api.open("plain=");
        GroupName own = GroupName.ofUser(kim.user());
        for (int i = 1; i <= 12; i++) {
            streams.publish(own, frames("m" + i), new Streams.Message("id-" + i, Set.of(), false));
        }

        resume(plain, "\"streams\":{\"user:kim\":0}");

        assertThat(sent(plain))
                .containsExactly(
                        "message:1",
                        "message:2",
                        "message:3",
                        "message:4",
                        "message:5",
                        "message:6",
                        "message:7",
                        "message:8",
                        "message:9",
                        "message:10",
                        "message:11",
                        "message:12");
    }

    @Test
    void shouldNeverReplayAMessageToAConnectionItExcluded_norToTheOneItReplaced_butSayItIsSkipped() {
        Connection gone = reliable("gone=", "kim");
        Connection bob = reliable("bob=", "bob");
        joins(gone);
        joins(bob);
        publish("a");
        publish("b", gone.id());
        publish("c", ConnectionId.of("other="));
        store.disconnect(gone.id());
        joins(kim);

        resume(kim, "\"streams\":{\"room-42\":0},\"previous\":[\"gone=\"]");
        resume(bob, "\"streams\":{\"room-42\":0}");

        assertThat(sent(kim)).containsExactly("message:1", "skip:2", "message:3");
        assertThat(api.frames("kim=").toString()).doesNotContain("\"data\":\"b\"");
        assertThat(sent(bob)).containsExactly("message:1", "message:2", "message:3");
    }

    @Test
    void shouldNotReplayToALateJoiner_whatCameBeforeItJoined() {
        Connection bob = reliable("bob=", "bob");
        joins(kim);
        publish("a");
        publish("b");
        joins(bob);
        publish("c");

        resume(bob, "\"streams\":{\"room-42\":0}");

        assertThat(sent(bob)).containsExactly("gap:1-2", "message:3");
        assertThat(api.frames("bob=").toString()).doesNotContain("\"data\":\"a\"", "\"data\":\"b\"");
    }

    @Test
    void shouldLetAnotherTabOfTheUserResume_afterOneTabLeft_butNotAfterTheServerRemovedTheUser() {
        Connection tab1 = reliable("tab1=", "bob");
        Connection tab2 = reliable("tab2=", "bob");
        joins(tab1);
        joins(tab2);
        publish("a");
        store.leave(tab1.id(), room);
        streams.left(tab1, room);

        resume(tab2, "\"streams\":{\"room-42\":0}");
        streams.removed(tab2.user(), room);
        publish("b");
        resume(tab2, "\"streams\":{\"room-42\":0}");

        assertThat(sent(tab2)).containsExactly("message:1", "gap:1-2");
    }

    @Test
    void shouldReadFromWhereAUserFirstJoined_whenItJoinsAgainWithoutLeaving() {
        joins(kim);
        publish("a");
        streams.joined(kim, room, -1); // a second join frame of the same connection

        resume(kim, "\"streams\":{\"room-42\":0}");

        assertThat(sent(kim)).containsExactly("message:1");
    }

    @Test
    void shouldRewindAJoin_toTheLastMessagesItAsks_andNoFurther() {
        joins(kim);
        for (String text : List.of("a", "b", "c", "d")) {
            publish(text);
            clock.advance(Duration.ofSeconds(10));
        }
        Connection bob = reliable("bob=", "bob");
        store.connect(bob);
        api.open("bob=");
        ClientFrame.Rewind lastTwo = new ClientFrame.Rewind(2, 0);

        streams.joined(bob, room, streams.rewindStart(room, lastTwo));
        store.join(bob.recipient(), room, bob.expiresAt());
        streams.rewind(bob, room, lastTwo, Budget.unlimited());
        resume(bob, "\"streams\":{\"room-42\":0}");

        assertThat(sent(bob)).containsExactly("message:3", "message:4", "gap:1-2", "message:3", "message:4");
        assertThat(streams.rewindStart(room, new ClientFrame.Rewind(0, 25)))
                .as("25 s back: the messages of the last 25 s, c and d")
                .isEqualTo(2);
        assertThat(streams.rewindStart(room, new ClientFrame.Rewind(0, 15)))
                .as("d only")
                .isEqualTo(3);
        assertThat(streams.rewindStart(room, new ClientFrame.Rewind(0, 5)))
                .as("none")
                .isEqualTo(4);
    }

    @Test
    void shouldTellAGap_forWhatExpired_forALostNumber_andForAnotherEpoch() {
        joins(kim);
        publish("a");
        publish("b");
        clock.advance(Duration.ofSeconds(121));
        publish("c");
        Instant lostUntil = clock.instant().plusSeconds(60);
        log.keep(room, StreamLog.Kept.tombstone(4, clock.instant(), lostUntil), lostUntil);
        log.nextSeq(room, "lost", clock.instant(), clock.instant().plus(Streams.HEAD_LIFETIME));
        publish("e");

        resume(kim, "\"streams\":{\"room-42\":0}");

        assertThat(sent(kim)).containsExactly("gap:1-2", "message:3", "gap:4-4", "message:5");
    }

    @Test
    void shouldAnswerAResumeFromAnotherEpoch_withAGapToItsEnd_thenTheNewEpochsMessages() {
        joins(kim);
        publish("a");
        String old = log.head(room, clock.instant()).epoch();
        store.table()
                .client()
                .deleteItem(b -> b.tableName(store.table().name())
                        .key(Map.of("pk", AttributeValue.fromS("stream#room-42"), "sk", AttributeValue.fromS("head"))));
        streams.joined(kim, room, -1); // the client joins again after its reconnect
        publish("b");
        publish("c");
        String current = log.head(room, clock.instant()).epoch();

        JsonNode resumed = resume(kim, "\"streams\":{\"room-42\":1},\"epochs\":{\"room-42\":\"" + old + "\"}");

        assertThat(current).isNotEqualTo(old).isNotEmpty();
        assertThat(sent(kim)).containsExactly("gap:2-end", "message:1", "message:2");
        assertThat(Json.parse(api.frames("kim=").get(0))
                        .path("frames")
                        .get(0)
                        .path("epoch")
                        .asText())
                .isEqualTo(old);
        assertThat(resumed.path("epochs").path("room-42").asText()).isEqualTo(current);
    }

    @Test
    void shouldMarkANumberWhoseMessageCouldNotBeKept_soThatAResumeSaysGapAtOnce() {
        AtomicBoolean failNextKeep = new AtomicBoolean(true);
        StreamLog failing = (StreamLog) Proxy.newProxyInstance(
                StreamLog.class.getClassLoader(), new Class<?>[] {StreamLog.class}, (proxy, method, args) -> {
                    if (method.getName().equals("keep")
                            && !((StreamLog.Kept) args[1]).lost()
                            && failNextKeep.getAndSet(false)) {
                        throw new StoreUnavailableException("keep failed", null);
                    }
                    try {
                        return method.invoke(log, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        Streams failingStreams = streams(failing, Duration.ofSeconds(120));
        joins(kim);

        assertThatThrownBy(
                        () -> failingStreams.publish(room, frames("a"), new Streams.Message("id-a", Set.of(), false)))
                .isInstanceOf(StoreUnavailableException.class);
        resume(kim, "\"streams\":{\"room-42\":0}");
        MessageFrames retried = failingStreams.publish(room, frames("a"), new Streams.Message("id-a", Set.of(), false));
        resume(kim, "\"streams\":{\"room-42\":1}");

        assertThat(sent(kim)).as("a gap at once, then the retry's copy").containsExactly("gap:1-1", "message:2");
        assertThat(retried.position().orElseThrow().id()).isEqualTo("id-a");
    }

    @Test
    void shouldTakeNoSecondNumber_forARetriedUpdateOfTheSameRequest() {
        Instant now = clock.instant();
        Instant until = now.plus(Streams.HEAD_LIFETIME);

        long first = log.nextSeq(room, "r1", now, until).seq();
        long again = log.nextSeq(room, "r1", now, until).seq();
        long next = log.nextSeq(room, "r2", now, until).seq();

        assertThat(List.of(first, again, next)).containsExactly(1L, 1L, 2L);
    }

    @Test
    void shouldLeaveANumberTakenMomentsAgo_forItsMessageMayBeOnItsWay() {
        joins(kim);
        publish("a");
        log.nextSeq(room, "on-its-way", clock.instant(), clock.instant().plus(Streams.HEAD_LIFETIME));

        JsonNode resumed = resume(kim, "\"streams\":{\"room-42\":0}");
        clock.advance(Replay.IN_FLIGHT.plusSeconds(1));
        resume(kim, "\"streams\":{\"room-42\":1}");

        assertThat(resumed.path("heads").path("room-42").asLong()).isEqualTo(2);
        assertThat(sent(kim)).containsExactly("message:1", "gap:2-2");
    }

    @Test
    void shouldKeepAHandedOffMessage_aslongAsTheWorkersMayTakeToDeliverIt() {
        Streams shortWindow = streams(log, Duration.ofSeconds(5));
        joins(kim);
        Streams.Pending pending = shortWindow.start(room, frames("a"), new Streams.Message("id-a", Set.of(), false));
        pending.handedOff();
        shortWindow.publish(room, frames("b"), new Streams.Message("id-b", Set.of(), true));
        clock.advance(Duration.ofMinutes(10));

        resume(kim, "\"streams\":{\"room-42\":0}");

        assertThat(sent(kim)).containsExactly("message:1", "message:2");
    }

    @Test
    void shouldTakeNoNumber_whenNoOneMayResumeTheStream_orStreamsAreOff() {
        Connection plain = Connection.opened(ConnectionId.of("plain="), UserId.of("pat"), clock.instant());
        store.connect(plain);
        streams.joined(plain, room, -1);
        MessageFrames frames = frames("1");

        assertThat(streams(log, Duration.ZERO).publish(room, frames, new Streams.Message("x", Set.of(), false)))
                .isSameAs(frames);
        assertThat(publish("y").seq())
                .as("no reliable member: nothing to resume")
                .isZero();
        assertThat(log.head(room, clock.instant()).seq()).isZero();
    }
}
