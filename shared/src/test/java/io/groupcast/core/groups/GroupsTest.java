package io.groupcast.core.groups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.groupcast.core.config.AwsClients;
import io.groupcast.core.connections.ConnectionLifecycle;
import io.groupcast.core.connections.UserLimits;
import io.groupcast.core.delivery.Budget;
import io.groupcast.core.delivery.Connections;
import io.groupcast.core.delivery.FanoutSettings;
import io.groupcast.core.model.Connection;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.ErrorCode;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.RequestException;
import io.groupcast.core.model.UserId;
import io.groupcast.core.store.LinkStore;
import io.groupcast.core.store.MembershipStore;
import io.groupcast.core.store.StoreUnavailableException;
import io.groupcast.core.store.dynamodb.DynamoDbLinkStore;
import io.groupcast.core.store.dynamodb.DynamoDbMembershipStore;
import io.groupcast.core.store.dynamodb.DynamoDbStreamLog;
import io.groupcast.core.store.dynamodb.DynamoDbTable;
import io.groupcast.core.streams.Streams;
import io.groupcast.core.testing.Dynalite;
import io.groupcast.core.testing.MovableClock;
import io.groupcast.core.testing.TestEnvironment;
import io.groupcast.core.testing.TestFanouts;
import io.groupcast.standins.LoopbackManagementApi;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Groups against dynalite and a loopback management API, as two function instances sharing one table would. */
class GroupsTest {
    @RegisterExtension
    static final Dynalite DYNALITE = new Dynalite();

    private final LoopbackManagementApi api = LoopbackManagementApi.start();
    private final MovableClock clock = new MovableClock(Instant.parse("2026-11-28T08:00:00Z"));
    private final DynamoDbMembershipStore store = DYNALITE.newStore();
    private final DynamoDbLinkStore links = new DynamoDbLinkStore(store.table());
    private final Connections connections = TestEnvironment.connections(api, 16);
    private final Streams streams = TestFanouts.streams(
            new DynamoDbStreamLog(store.table()), store, connections, Streams.DEFAULT_WINDOW, clock);

    @AfterEach
    void stop() {
        api.close();
    }

    /** A $connect function instance: its own objects, the same table. */
    private ConnectionLifecycle lifecycle() {
        DynamoDbTable table = new DynamoDbTable(DYNALITE.client(), store.table().name());
        return new ConnectionLifecycle(
                new DynamoDbMembershipStore(table), new DynamoDbLinkStore(table), streams, UserLimits.DEFAULTS, clock);
    }

    /** A second function instance: its own objects, the same table and API. */
    private Groups instance() {
        return instance(UserLimits.DEFAULTS);
    }

    private Groups instance(UserLimits limits) {
        DynamoDbTable table = new DynamoDbTable(DYNALITE.client(), store.table().name());
        DynamoDbMembershipStore instanceStore = new DynamoDbMembershipStore(table);
        return new Groups(
                instanceStore,
                new DynamoDbLinkStore(table),
                AwsClients.calls(instanceStore, connections, FanoutSettings.defaults(), clock),
                streams,
                limits.maxLinks(),
                clock);
    }

    @Test
    void shouldLeaveNoMemberBehind_whenALinkIsRemovedWhileAConnectionOfTheUserOpens() {
        Groups server = instance();
        server.addUser(GroupName.of("team"), UserId.of("kim"), Optional.empty());
        // $connect reads kim's links, then the server removes the link (listing kim's connections, which already
        // include the opening one, before its join lands), then $connect joins: the interleaving that left a member.
        AtomicBoolean removed = new AtomicBoolean();
        LinkStore interleaving = (LinkStore) Proxy.newProxyInstance(
                LinkStore.class.getClassLoader(), new Class<?>[] {LinkStore.class}, (proxy, method, args) -> {
                    Object result = call(method, args);
                    if (method.getName().equals("links") && removed.compareAndSet(false, true)) {
                        server.removeUser(GroupName.of("team"), UserId.of("kim"));
                    }
                    return result;
                });
        Connection opening = connection("c1=", "kim");

        int linked = new ConnectionLifecycle(store, interleaving, streams, UserLimits.DEFAULTS, clock).opened(opening);

        assertThat(removed).isTrue();
        assertThat(linked).isZero();
        assertThat(store.members(GroupName.of("team"), clock.instant())).isEmpty();
        assertThat(store.groupsOf(opening.id(), clock.instant())).containsExactly(GroupName.of("user:kim"));
    }

    private Object call(Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(links, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Test
    void shouldRefuseTheConnectionBeyondMaxConnectionsPerUser_recordingNothing() {
        ConnectionLifecycle limited = new ConnectionLifecycle(store, links, streams, new UserLimits(2, 100), clock);
        limited.opened(connection("k1=", "kim"));
        limited.opened(connection("k2=", "kim"));
        limited.opened(connection("b1=", "bob"));

        assertThatThrownBy(() -> limited.opened(connection("k3=", "kim")))
                .isInstanceOfSatisfying(
                        RequestException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TOO_MANY_CONNECTIONS));
        assertThat(store.members(GroupName.of("user:kim"), clock.instant()))
                .containsExactlyInAnyOrder(ConnectionId.of("k1="), ConnectionId.of("k2="));
        assertThat(store.connection(ConnectionId.of("k3="), clock.instant())).isEmpty();
        store.disconnect(ConnectionId.of("k1="));
        assertThat(limited.opened(connection("k3=", "kim"))).isZero();
    }

    @Test
    void shouldStartNoStoreCallOnAConnect_withLessTimeLeftThanOneCallMayTake() {
        Connection late = connection("late=", "lou");

        assertThatThrownBy(() -> lifecycle().opened(late, () -> 5_999))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("5999 ms left");
        assertThat(store.connection(late.id(), clock.instant())).isEmpty();
        assertThat(lifecycle().opened(late, () -> 6_000)).isZero();
    }

    @Test
    void shouldRefuseALinkBeyondMaxLinksPerUser_butRenewAnExistingOne_andApplyAtMostTheCapOnConnect() {
        Groups twoLinks = instance(new UserLimits(100, 2));
        twoLinks.addUser(GroupName.of("a"), UserId.of("kim"), Optional.empty());
        twoLinks.addUser(GroupName.of("b"), UserId.of("kim"), Optional.empty());

        assertThatThrownBy(() -> twoLinks.addUser(GroupName.of("c"), UserId.of("kim"), Optional.empty()))
                .isInstanceOfSatisfying(
                        RequestException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TOO_MANY_LINKS));
        assertThat(twoLinks.addUser(GroupName.of("a"), UserId.of("kim"), Optional.of(Duration.ofDays(2))))
                .isEqualTo(clock.instant().plus(Duration.ofDays(2)));
        assertThat(links.links(UserId.of("kim"), clock.instant()))
                .containsOnlyKeys(GroupName.of("a"), GroupName.of("b"));
        instance().addUser(GroupName.of("c"), UserId.of("kim"), Optional.empty());
        assertThat(new ConnectionLifecycle(store, links, streams, new UserLimits(100, 2), clock)
                        .opened(connection("k1=", "kim")))
                .isEqualTo(2);
    }

    @Test
    void shouldApplyAUserLinkMadeByOneInstance_whenTheUserConnectsThroughAnother() {
        Groups a = instance();
        Groups b = instance();
        Connection early = opened("c1=", "kim");

        Instant until = a.addUser(GroupName.of("team"), UserId.of("kim"), Optional.of(Duration.ofHours(1)));
        clock.advance(Duration.ofMinutes(1));
        Connection late = connection("c2=", "kim");
        int linked = lifecycle().opened(late);

        assertThat(until).isEqualTo(Instant.parse("2026-11-28T09:00:00Z"));
        assertThat(linked).isEqualTo(1);
        assertThat(store.members(GroupName.of("team"), clock.instant()))
                .containsExactlyInAnyOrder(early.id(), late.id());
        assertThat(b.count(GroupName.of("team"))).isEqualTo(2);
    }

    @Test
    void shouldEndLinkedMembershipsWhenTheLinkExpires_andNotApplyAnExpiredLink() {
        Groups groups = instance();
        lifecycle().opened(connection("c1=", "lee"));
        groups.addUser(GroupName.of("trial"), UserId.of("lee"), Optional.of(Duration.ofMinutes(10)));
        assertThat(groups.count(GroupName.of("trial"))).isEqualTo(1);

        clock.advance(Duration.ofMinutes(11));
        int linked = lifecycle().opened(connection("c2=", "lee"));

        assertThat(groups.count(GroupName.of("trial"))).isZero();
        assertThat(linked).isZero();
        assertThat(links.links(UserId.of("lee"), clock.instant())).isEmpty();
        assertThat(groups.count(GroupName.ofUser(UserId.of("lee")))).isEqualTo(2);
    }

    @Test
    void shouldRemoveAUserFromOneGroup_andFromAll_acrossInstances() {
        Groups a = instance();
        Groups b = instance();
        Connection c = opened("c1=", "max");
        a.addUser(GroupName.of("g1"), UserId.of("max"), Optional.empty());
        b.addUser(GroupName.of("g2"), UserId.of("max"), Optional.empty());
        b.addConnection(GroupName.of("g3"), c.id());

        b.removeUser(GroupName.of("g1"), UserId.of("max"));
        assertThat(store.groupsOf(c.id(), clock.instant()))
                .extracting(GroupName::value)
                .containsExactlyInAnyOrder("user:max", "g2", "g3");

        assertThat(a.removeUserFromAll(UserId.of("max"))).isEqualTo(2);
        assertThat(store.groupsOf(c.id(), clock.instant()))
                .extracting(GroupName::value)
                .containsExactly("user:max");
        assertThat(links.links(UserId.of("max"), clock.instant())).isEmpty();
    }

    @Test
    void shouldPageThroughAGroup_andRefuseBadLimitsCursorsAndReservedGroups() {
        Groups groups = instance();
        for (int i = 0; i < 7; i++) {
            lifecycle().opened(connection("p" + i + "=", "pat"));
        }
        List<ConnectionId> seen = new ArrayList<>();
        Optional<String> next = Optional.empty();
        do {
            MembershipStore.Page page = groups.list(GroupName.of("user:pat"), 3, next);
            seen.addAll(page.connections());
            next = page.next();
        } while (next.isPresent());

        assertThat(seen).hasSize(7).doesNotHaveDuplicates();
        assertThatThrownBy(() -> groups.list(GroupName.of("x"), 0, Optional.empty()))
                .isInstanceOfSatisfying(
                        RequestException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_LIMIT));
        assertThatThrownBy(() -> groups.list(GroupName.of("x"), 10, Optional.of("a b")))
                .isInstanceOf(RequestException.class);
        assertThatThrownBy(() -> groups.addConnection(GroupName.of("user:pat"), ConnectionId.of("p1=")))
                .isInstanceOfSatisfying(
                        RequestException.class, e -> assertThat(e.status()).isEqualTo(403));
        assertThatThrownBy(() -> groups.addUser(GroupName.of("g"), UserId.of("pat"), Optional.of(Duration.ofDays(400))))
                .isInstanceOfSatisfying(
                        RequestException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TTL));
    }

    @Test
    void shouldCloseThroughTheManagementApi_pruningOnlyGoneConnectionsOutsideTheConnectWindow() {
        Groups groups = instance();
        Connection open = opened("open=", "ola");
        api.open("open=");
        Connection stale = opened("stale=", "ola");
        clock.advance(Duration.ofMinutes(1));
        Connection opening = opened("opening=", "ola");

        Groups.Closed closed = groups.closeGroup(GroupName.ofUser(UserId.of("ola")), Budget.unlimited());

        assertThat(closed).isEqualTo(new Groups.Closed(1, 1, 1, 0));
        assertThat(api.closed()).containsExactlyInAnyOrder("open=", "stale=", "opening=");
        assertThat(store.connection(open.id(), clock.instant()))
                .as("a closed connection's $disconnect removes it")
                .isPresent();
        assertThat(store.connection(stale.id(), clock.instant()))
                .as("gone, its $disconnect lost")
                .isEmpty();
        assertThat(store.connection(opening.id(), clock.instant()))
                .as("gone to API Gateway while still inside $connect")
                .isPresent();
    }

    @Test
    void shouldCountOnlyOpenConnections_pruningGoneOnesOutsideTheConnectWindow_sendingNothing() {
        Groups groups = instance();
        opened("open=", "uma");
        api.open("open=");
        Connection stale = opened("stale=", "uma");
        clock.advance(Duration.ofMinutes(1));
        Connection opening = opened("opening=", "uma");
        GroupName uma = GroupName.ofUser(UserId.of("uma"));

        assertThat(groups.count(uma)).as("the stored count").isEqualTo(3);
        Groups.Presence presence = groups.presence(uma, Groups.MAX_VERIFIED_USER, Budget.unlimited());

        assertThat(presence).isEqualTo(new Groups.Presence(2, 1, 0));
        assertThat(api.gets()).isEqualTo(3);
        assertThat(api.posts()).as("a check sends the client nothing").isZero();
        assertThat(store.connection(stale.id(), clock.instant())).isEmpty();
        assertThat(store.connection(opening.id(), clock.instant())).isPresent();
        assertThat(groups.count(uma)).isEqualTo(2);
    }

    @Test
    void shouldCountUnverifiedConnectionsAsOpen_andRefuseToVerifyTooLargeAGroup() {
        Groups groups = instance();
        opened("v1=", "val");
        opened("v2=", "val");
        clock.advance(Duration.ofMinutes(1));
        GroupName val = GroupName.ofUser(UserId.of("val"));

        assertThat(groups.presence(val, 10, () -> 1_000))
                .as("no time left to ask: both counted, neither verified")
                .isEqualTo(new Groups.Presence(2, 0, 2));
        assertThatThrownBy(() -> groups.presence(val, 1, Budget.unlimited()))
                .isInstanceOfSatisfying(
                        RequestException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TOO_MANY_TO_VERIFY));
        assertThat(api.gets()).isZero();
    }

    @Test
    void shouldStartNoCloseOnceTheBudgetIsDownToTheReserve() {
        opened("late=", "pia");
        api.open("late=");

        Groups.Closed closed = instance().closeGroup(GroupName.ofUser(UserId.of("pia")), () -> 1_000);

        assertThat(closed).isEqualTo(new Groups.Closed(0, 0, 0, 1));
        assertThat(api.closed()).doesNotContain("late=");
    }

    /** A connection of {@code user} that has just opened, through a $connect instance of its own. */
    private Connection opened(String id, String user) {
        Connection connection = connection(id, user);
        lifecycle().opened(connection);
        return connection;
    }

    private Connection connection(String id, String user) {
        return Connection.opened(ConnectionId.of(id), UserId.of(user), clock.instant());
    }

    /** A clock the test moves forward. */
}
