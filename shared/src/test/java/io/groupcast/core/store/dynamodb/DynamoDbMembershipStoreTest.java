package io.groupcast.core.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.groupcast.core.model.Broadcast;
import io.groupcast.core.model.Connection;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.UserId;
import io.groupcast.core.store.StoreUnavailableException;
import io.groupcast.core.testing.Dynalite;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class DynamoDbMembershipStoreTest {
    @RegisterExtension
    static final Dynalite DYNALITE = new Dynalite();

    private final Instant connectedAt = Instant.parse("2026-11-28T04:00:00Z");
    private final Instant now = connectedAt.plusSeconds(30);
    private final DynamoDbMembershipStore store = DYNALITE.newStore();
    private final DynamoDbCounters counters = new DynamoDbCounters(store.table());

    @Test
    void shouldAddConnectionToItsUserGroup_withTtlOnEveryItem() {
        Connection kevin = Connection.opened(ConnectionId.of("k1="), UserId.of("kevin"), connectedAt);

        store.connect(kevin);

        assertThat(store.members(GroupName.of("user:kevin"), now)).containsExactly(kevin.id());
        List<Map<String, AttributeValue>> items = allItems();
        assertThat(items)
                .hasSize(3) // the record (also the user group's connection side), the user group, the shard
                .allSatisfy(item -> assertThat(item.get("expiresAt").n())
                        .isEqualTo(Long.toString(connectedAt.getEpochSecond() + 7500)));
    }

    @Test
    void shouldIgnoreExpiredMemberships_whenReading() {
        store.connect(Connection.opened(ConnectionId.of("old"), UserId.of("kevin"), connectedAt));
        store.connect(Connection.opened(ConnectionId.of("new"), UserId.of("kevin"), connectedAt.plusSeconds(600)));

        Instant afterFirstExpiry = connectedAt.plus(Connection.LIFETIME).plusSeconds(1);

        assertThat(store.members(GroupName.of("user:kevin"), afterFirstExpiry)).containsExactly(ConnectionId.of("new"));
        assertThat(store.members(GroupName.of("user:kevin"), now))
                .containsExactlyInAnyOrder(ConnectionId.of("old"), ConnectionId.of("new"));
    }

    @Test
    void shouldRemoveEveryMembership_whenAConnectionInSeveralGroupsDisconnects() {
        Connection kevin = Connection.opened(ConnectionId.of("k1"), UserId.of("kevin"), connectedAt);
        Connection bob = Connection.opened(ConnectionId.of("b1"), UserId.of("bob"), connectedAt);
        store.connect(kevin);
        store.connect(bob);
        for (String group : List.of("room-1", "room-2", "room-3")) {
            store.join(kevin.id(), GroupName.of(group), kevin.expiresAt());
            store.join(bob.id(), GroupName.of(group), bob.expiresAt());
        }

        int left = store.disconnect(kevin.id());

        assertThat(left).isEqualTo(4);
        for (String group : List.of("user:kevin", "room-1", "room-2", "room-3")) {
            assertThat(store.members(GroupName.of(group), now)).doesNotContain(kevin.id());
        }
        assertThat(store.members(GroupName.of("room-2"), now)).containsExactly(bob.id());
        assertThat(allItems())
                .noneMatch(item -> item.values().stream()
                        .anyMatch(v -> "k1".equals(v.s()) || (v.s() != null && v.s().endsWith("#k1"))));
        // bob's record (also his user group's connection side), user group, broadcast shard, three rooms (both sides)
        assertThat(allItems()).hasSize(3 + 2 * 3);
        assertThat(store.groupsOf(bob.id(), now))
                .containsExactlyInAnyOrder(
                        GroupName.of("user:bob"),
                        GroupName.of("room-1"),
                        GroupName.of("room-2"),
                        GroupName.of("room-3"));
        assertThat(store.members(Broadcast.shardOf(kevin.id()), now)).doesNotContain(kevin.id());
        assertThat(store.members(Broadcast.shardOf(bob.id()), now)).contains(bob.id());
    }

    @Test
    void shouldBeIdempotent_whenDisconnectRunsTwiceOrForAnUnknownConnection() {
        store.connect(Connection.opened(ConnectionId.of("k1"), UserId.of("kevin"), connectedAt));

        assertThat(store.disconnect(ConnectionId.of("k1"))).isEqualTo(1);
        assertThat(store.disconnect(ConnectionId.of("k1"))).isZero();
        assertThat(store.disconnect(ConnectionId.of("never"))).isZero();
        assertThat(allItems()).isEmpty();
    }

    @Test
    void shouldLeaveOneGroup_keepingTheOthers() {
        Connection kevin = Connection.opened(ConnectionId.of("k1"), UserId.of("kevin"), connectedAt);
        store.connect(kevin);
        store.join(kevin.id(), GroupName.of("room-1"), kevin.expiresAt());

        store.leave(kevin.id(), GroupName.of("room-1"));
        store.leave(kevin.id(), GroupName.of("room-1"));

        assertThat(store.members(GroupName.of("room-1"), now)).isEmpty();
        assertThat(store.members(GroupName.of("user:kevin"), now)).containsExactly(kevin.id());
        assertThat(store.disconnect(kevin.id())).isEqualTo(1);
    }

    @Test
    void shouldListTheLiveGroupsOfAConnection_only() {
        Connection kevin = Connection.opened(ConnectionId.of("k1"), UserId.of("kevin"), connectedAt);
        store.connect(kevin);
        store.join(kevin.id(), GroupName.of("room-42"), kevin.expiresAt());
        store.join(kevin.id(), GroupName.of("short-lived"), now.plusSeconds(1));
        store.join(ConnectionId.of("other"), GroupName.of("room-7"), kevin.expiresAt());

        assertThat(store.groupsOf(kevin.id(), now))
                .containsExactlyInAnyOrder(
                        GroupName.of("user:kevin"), GroupName.of("room-42"), GroupName.of("short-lived"));
        assertThat(store.groupsOf(kevin.id(), now.plusSeconds(1)))
                .containsExactlyInAnyOrder(GroupName.of("user:kevin"), GroupName.of("room-42"));
        assertThat(store.groupsOf(ConnectionId.of("nobody"), now)).isEmpty();
    }

    @Test
    void shouldReadEveryPage_whenTheGroupIsLargerThanOnePage() {
        GroupName big = GroupName.of("big");
        List<ConnectionId> ids =
                IntStream.range(0, 4500).mapToObj(i -> ConnectionId.of("c" + i)).toList();
        ids.parallelStream().forEach(id -> store.join(id, big, connectedAt.plus(Connection.LIFETIME)));

        assertThat(store.members(big, now).collect(Collectors.toSet()))
                .hasSize(4500)
                .containsAll(ids);
    }

    @Test
    void shouldCountPublishesPerWindow_concurrentlyWithoutLosingOne_andForgetThemWithTheConnection() throws Exception {
        Connection kevin = Connection.opened(ConnectionId.of("k1"), UserId.of("kevin"), connectedAt);
        store.connect(kevin);
        long window = now.getEpochSecond();
        ExecutorService threads = Executors.newFixedThreadPool(8);
        List<Long> counts = new ArrayList<>();
        try {
            Callable<Long> publish = () -> counters.countPublish(kevin.id(), window, kevin.expiresAt());
            for (Future<Long> count : threads.invokeAll(Collections.nCopies(20, publish))) {
                counts.add(count.get());
            }
        } finally {
            threads.shutdownNow();
        }

        assertThat(counts)
                .containsExactlyInAnyOrderElementsOf(
                        IntStream.rangeClosed(1, 20).mapToObj(Long::valueOf).toList());
        assertThat(counters.countPublish(kevin.id(), window + 1, kevin.expiresAt()))
                .isEqualTo(1);
        assertThat(counters.countPublish(kevin.id(), window, kevin.expiresAt()))
                .as("a publish stamped with an earlier window (it read the clock just before the second turned)"
                        + " counts into the current one instead of failing on it")
                .isEqualTo(2);
        assertThat(counters.countPublish(kevin.id(), window + 1, kevin.expiresAt()))
                .isEqualTo(3);
        store.disconnect(kevin.id());
        assertThat(allItems()).isEmpty();
    }

    @Test
    void shouldThrowStoreUnavailable_whenTheTableIsMissing() {
        DynamoDbMembershipStore missing =
                new DynamoDbMembershipStore(new DynamoDbTable(DYNALITE.client(), "no-such-table"));
        assertThatThrownBy(() -> missing.members(GroupName.of("room-1"), now).toList())
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageStartingWith("store call failed");
    }

    private List<Map<String, AttributeValue>> allItems() {
        // A Scan is fine here: the test inspects the whole (tiny) store.table(); the store itself never scans.
        return DYNALITE.client().scanPaginator(b -> b.tableName(store.table().name())).items().stream()
                .toList();
    }
}
