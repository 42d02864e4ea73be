package io.groupcast.core.streams;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.groupcast.core.model.Connection;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.Grants;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.Json;
import io.groupcast.core.model.Protocol;
import io.groupcast.core.model.UserId;
import io.groupcast.core.protocol.ClientFrame;
import io.groupcast.core.protocol.ClientFrames;
import io.groupcast.core.protocol.ServerFrame;
import io.groupcast.core.store.StreamLog;
import io.groupcast.core.store.dynamodb.DynamoDbMembershipStore;
import io.groupcast.core.store.dynamodb.DynamoDbStreamLog;
import io.groupcast.core.store.dynamodb.DynamoDbTable;
import io.groupcast.core.testing.Dynalite;
import io.groupcast.core.testing.MovableClock;
import io.groupcast.core.testing.TestEnvironment;
import io.groupcast.core.testing.TestFanouts;
import io.groupcast.standins.CapacityMeter;
import io.groupcast.standins.LoopbackManagementApi;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A resume reads a bounded part of the store whatever the stream holds: 50,000 kept messages that expired (TTL may
 * take days to delete them) are stepped over by probing, and a long run of live ones is replayed
 * {@link Replay#MAX_REPLAY} at a time. Each test prints the read units the resume used.
 */
class ResumeBoundsTest {
    @RegisterExtension
    static final Dynalite DYNALITE = new Dynalite();

    /** The time a $default function has for a resume: its timeout of 15 s less the calls' reserve. */
    private static final long FUNCTION_MILLIS = 11_000;

    private final CapacityMeter meter = new CapacityMeter();
    private final DynamoDbTable table =
            new DynamoDbTable(Dynalite.clientFor(DYNALITE.endpoint(), meter), DYNALITE.createTable());
    private final DynamoDbMembershipStore store = new DynamoDbMembershipStore(table);
    private final DynamoDbStreamLog log = new DynamoDbStreamLog(table);
    private final LoopbackManagementApi api = LoopbackManagementApi.start();
    private final MovableClock clock = new MovableClock(Instant.parse("2026-11-28T08:00:00Z"));
    private final GroupName room = GroupName.of("room-42");
    private final Connection kim = Connection.opened(
            ConnectionId.of("kim="), UserId.of("kim"), clock.instant(), Grants.NONE, Protocol.RELIABLE_V1);

    @AfterEach
    void stop() {
        api.close();
    }

    /** {@code count} messages, one a millisecond, each kept for {@code window}; kim in the room from the start. */
    private Streams seeded(int count, Duration window) {
        List<StreamLog.Kept> messages = new ArrayList<>();
        Instant start = clock.instant();
        for (int seq = 1; seq <= count; seq++) {
            Instant takenAt = start.plusMillis(seq);
            byte[] frame = ("{\"type\":\"message\",\"stream\":\"room-42\",\"seq\":" + seq + ",\"id\":\"m" + seq
                            + "\",\"epoch\":\"e1\",\"from\":\"server\",\"data\":\"hello\"}")
                    .getBytes(StandardCharsets.UTF_8);
            messages.add(new StreamLog.Kept(seq, frame, takenAt.minusMillis(1), Set.of(), takenAt.plus(window)));
        }
        log.seed(room, messages, "e1");
        store.connect(kim);
        store.join(kim.recipient(), room, kim.expiresAt());
        log.since(kim.user(), room, kim.id(), new StreamLog.Since(0, "e1"), clock.instant(), kim.expiresAt());
        api.open("kim=");
        return TestFanouts.streams(log, store, TestEnvironment.connections(api, 8), window, clock);
    }

    private ServerFrame.Resumed resume(Streams streams, long deadline) {
        ClientFrame.Resume request =
                (ClientFrame.Resume) ClientFrames.read("{\"action\":\"resume\",\"streams\":{\"room-42\":0}}");
        meter.take();
        return streams.resume(kim, request, () -> deadline - System.currentTimeMillis());
    }

    private void report(String what, CapacityMeter.Usage usage, long millis) {
        System.out.printf(
                "resume of %s: %.1f read units, %d queries, %d ms%n",
                what, usage.readUnits(), usage.calls("Query"), millis);
    }

    @Test
    void shouldStepOver50000ExpiredMessages_withAFewDozenItemReads_andTellOneGap() {
        Streams streams = seeded(50_000, Duration.ofSeconds(3));
        clock.advance(Duration.ofMinutes(1));
        long started = System.currentTimeMillis();

        ServerFrame.Resumed resumed = resume(streams, started + FUNCTION_MILLIS);
        CapacityMeter.Usage usage = meter.take();
        report("50,000 expired messages", usage, System.currentTimeMillis() - started);

        assertThat(resumed.more())
                .as("answered whole, within the function's time")
                .isFalse();
        assertThat(resumed.heads()).containsEntry(room, 50_000L);
        assertThat(api.frames("kim="))
                .containsExactly("{\"type\":\"replay\",\"stream\":\"room-42\",\"frames\":["
                        + "{\"type\":\"gap\",\"stream\":\"room-42\",\"epoch\":\"e1\",\"from\":1,\"to\":50000}]}");
        assertThat(usage.calls("Query"))
                .as("a probe per halving of 50,000, and the reads around it")
                .isLessThan(40);
        assertThat(usage.readUnits()).isLessThan(40);
    }

    @Test
    void shouldReplayAtMost500LiveMessagesPerResume_inReplayFramesOf32KB_andSayThereIsMore() {
        Streams streams = seeded(2_000, Duration.ofHours(1));
        long started = System.currentTimeMillis();

        ServerFrame.Resumed resumed = resume(streams, started + FUNCTION_MILLIS);
        CapacityMeter.Usage usage = meter.take();
        report("2,000 live messages (500 replayed)", usage, System.currentTimeMillis() - started);

        List<JsonNode> frames = api.frames("kim=").stream().map(Json::parse).toList();
        List<Long> seqs = frames.stream()
                .flatMap(frame -> toList(frame.path("frames")).stream())
                .map(each -> each.path("seq").asLong())
                .toList();
        assertThat(resumed.more()).isTrue();
        assertThat(seqs).hasSize(Replay.MAX_REPLAY).isSorted().startsWith(1L).endsWith(500L);
        assertThat(api.frames("kim="))
                .allSatisfy(frame -> assertThat(frame.length()).isLessThanOrEqualTo(32 * 1024));
        assertThat(frames.size())
                .as("replay frames, each as full as 32 KB allows")
                .isLessThan(10);
        assertThat(usage.readUnits()).as("about the 500 items replayed").isLessThan(60);
    }

    private static List<JsonNode> toList(JsonNode array) {
        List<JsonNode> list = new ArrayList<>();
        array.forEach(list::add);
        return list;
    }
}
