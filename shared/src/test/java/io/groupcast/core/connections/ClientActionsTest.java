package io.groupcast.core.connections;

import static org.assertj.core.api.Assertions.assertThat;

import io.groupcast.core.config.ConfigurationException;
import io.groupcast.core.config.Environment;
import io.groupcast.core.config.Settings;
import io.groupcast.core.delivery.Budget;
import io.groupcast.core.groups.Permissions;
import io.groupcast.core.model.Connection;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.ErrorCode;
import io.groupcast.core.model.Grants;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.Json;
import io.groupcast.core.model.Permission;
import io.groupcast.core.model.UserId;
import io.groupcast.core.notify.Idempotency;
import io.groupcast.core.notify.Publisher;
import io.groupcast.core.streams.Streams;
import io.groupcast.core.testing.InMemoryMembershipStore;
import io.groupcast.core.testing.InMemoryStores;
import io.groupcast.core.testing.RecordingConnections;
import io.groupcast.core.testing.TestFanouts;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

class ClientActionsTest {
    private final InMemoryStores stores = new InMemoryStores();
    private final InMemoryMembershipStore store = stores.memberships();
    private final RecordingConnections connections = new RecordingConnections();
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-28T04:30:00Z"), ZoneOffset.UTC);
    private final Permissions permissions =
            new Permissions(store, stores.grants(), Grants.publicGroups("lobby, open-*"), clock);
    private final Streams noStreams = TestFanouts.noStreams(stores.streams(), store, connections);
    private final Publisher publisher = new Publisher(
            store,
            stores.counters(),
            TestFanouts.bounded(connections, store, 4),
            noStreams,
            new Idempotency(stores.idempotency(), clock),
            new Publisher.Limits(3, 5),
            clock);
    private final ClientActions actions = new ClientActions(
            store,
            stores.counters(),
            connections,
            permissions,
            publisher,
            noStreams,
            ClientActions.DEFAULT_MAX_GROUPS,
            clock);
    private final Connection kevin = Connection.opened(
            ConnectionId.of("k1"),
            UserId.of("kevin"),
            Instant.parse("2026-11-28T04:00:00Z"),
            Grants.ofRoles("groupcast.joinLeaveGroup"));
    private final Connection mallory = Connection.opened(
            ConnectionId.of("m1"),
            UserId.of("mallory"),
            Instant.parse("2026-11-28T04:00:00Z"),
            Grants.ofRoles("other-app.admin groupcast.joinLeaveGroup.room-*"));

    private Connection connection(String id, String user, String roles) {
        return Connection.opened(ConnectionId.of(id), UserId.of(user), clock.instant(), Grants.ofRoles(roles));
    }

    private static ClientActions.Answer handle(ClientActions actions, Connection connection, String frame) {
        return actions.handle(connection, frame, Budget.unlimited());
    }

    private static List<String> errors(List<String> frames) {
        return frames.stream().map(f -> Json.parse(f).path("error").asText()).toList();
    }

    @Test
    void shouldPublishToTheGroupsMembers_inTheGroupShape_echoingUnlessNoEcho_andAck() {
        Connection bob = connection("b1", "bob", "groupcast.sendToGroup.room-*");
        store.connect(kevin);
        store.connect(bob);
        store.join(kevin.id(), GroupName.of("room-42"), kevin.expiresAt());
        store.join(bob.id(), GroupName.of("room-42"), bob.expiresAt());

        ClientActions.Answer echoed =
                handle(actions, bob, "{\"action\":\"send\",\"group\":\"room-42\",\"data\":{\"text\":\"hi\"}}");
        handle(actions, bob, "{\"action\":\"send\",\"group\":\"room-42\",\"data\":null,\"noEcho\":true}");

        String hi =
                "{\"type\":\"message\",\"from\":\"group\",\"group\":\"room-42\",\"fromUserId\":\"bob\",\"data\":{\"text\":\"hi\"}}";
        String ack = "{\"type\":\"ack\",\"action\":\"send\",\"group\":\"room-42\"}";
        assertThat(connections.frames(kevin.id()))
                .containsExactly(
                        hi,
                        "{\"type\":\"message\",\"from\":\"group\",\"group\":\"room-42\",\"fromUserId\":\"bob\",\"data\":null}");
        assertThat(connections.frames(bob.id())).containsExactly(hi, ack, ack);
        assertThat(echoed.delivery())
                .hasValueSatisfying(d -> assertThat(d.delivered()).isEqualTo(2));
    }

    @Test
    void shouldRefuseToPublishWithoutPermission_orBeyondTheRate_orWithoutData_sendingNothing() {
        store.connect(kevin);
        store.join(kevin.id(), GroupName.of("room-42"), kevin.expiresAt());
        Connection sender = connection("s1", "sam", "groupcast.sendToGroup.room-42");

        handle(actions, kevin, "{\"action\":\"send\",\"group\":\"room-42\",\"data\":1}");
        handle(actions, sender, "{\"action\":\"send\",\"group\":\"room-7\",\"data\":1}");
        handle(actions, sender, "{\"action\":\"send\",\"group\":\"room-42\"}");
        handle(actions, sender, "{\"action\":\"send\",\"group\":\"room-42\",\"data\":1,\"noEcho\":\"yes\"}");
        handle(actions, sender, "{\"action\":\"send\",\"group\":\"room-42\",\"data\":\"" + "x".repeat(131_000) + "\"}");
        for (int i = 0; i < 4; i++) {
            handle(actions, sender, "{\"action\":\"send\",\"group\":\"room-42\",\"data\":" + i + "}");
        }

        assertThat(errors(connections.frames(kevin.id()))).containsExactly("forbidden", "", "", "");
        assertThat(errors(connections.frames(sender.id())))
                .containsExactly(
                        "forbidden", "missing_data", "invalid_frame", "message_too_large", "", "", "", "rate_limited");
    }

    @Test
    void shouldRefusePublishesBeyondTheUsersRate_countedOverAllItsConnections() {
        store.connect(kevin);
        store.join(kevin.id(), GroupName.of("room-42"), kevin.expiresAt());
        Connection tab1 = connection("t1", "tia", "groupcast.sendToGroup.room-42");
        Connection tab2 = connection("t2", "tia", "groupcast.sendToGroup.room-42");

        for (int i = 0; i < 3; i++) {
            handle(actions, tab1, "{\"action\":\"send\",\"group\":\"room-42\",\"data\":" + i + "}");
            handle(actions, tab2, "{\"action\":\"send\",\"group\":\"room-42\",\"data\":" + i + "}");
        }

        assertThat(errors(connections.frames(tab1.id()))).containsExactly("", "", "");
        assertThat(errors(connections.frames(tab2.id()))).containsExactly("", "", "rate_limited");
        assertThat(connections.frames(kevin.id())).hasSize(5);
        assertThat(Json.parse(connections.frames(tab2.id()).get(2))
                        .path("message")
                        .asText())
                .contains("this user may send at most 5");
    }

    @Test
    void shouldRefuseToJoinOrLeaveWithoutPermission_changingNothing() {
        store.connect(mallory);
        store.join(mallory.id(), GroupName.of("tenant:acme:admins"), mallory.expiresAt());

        handle(actions, mallory, "{\"action\":\"join\",\"group\":\"tenant:acme:admins\"}");
        handle(actions, mallory, "{\"action\":\"leave\",\"group\":\"tenant:acme:admins\"}");
        handle(actions, mallory, "{\"action\":\"join\",\"group\":\"roomy\"}");

        assertThat(connections.frames(mallory.id()))
                .extracting(f -> Json.parse(f).path("error").asText())
                .containsExactly("forbidden", "forbidden", "forbidden");
        assertThat(Json.parse(connections.frames(mallory.id()).get(0))
                        .path("message")
                        .asText())
                .isEqualTo("this connection may not join or leave group 'tenant:acme:admins': it needs joinLeaveGroup "
                        + "from its token's roles, the stack's PublicGroups, or the server");
        assertThat(store.groupsOf(mallory.id(), clock.instant()))
                .containsExactlyInAnyOrder(GroupName.of("user:mallory"), GroupName.of("tenant:acme:admins"));
    }

    @Test
    void shouldJoinGroupsItsRolesMatch_byPrefix_andPublicGroups_andWhatTheServerGranted() {
        store.connect(mallory);
        permissions.grant(mallory.id(), Permission.JOIN_LEAVE_GROUP, Optional.of("vip"));

        for (String group : List.of("room-42", "lobby", "open-mic", "vip")) {
            handle(actions, mallory, "{\"action\":\"join\",\"group\":\"" + group + "\"}");
        }

        assertThat(connections.frames(mallory.id())).allMatch(f -> f.startsWith("{\"type\":\"ack\""));
        assertThat(store.groupsOf(mallory.id(), clock.instant()))
                .extracting(GroupName::value)
                .containsExactlyInAnyOrder("user:mallory", "room-42", "lobby", "open-mic", "vip");
    }

    @Test
    void shouldKeepReservedGroupsOutOfReach_whateverTheRoles() {
        Connection admin = connection("a1", "admin", "groupcast.joinLeaveGroup groupcast.joinLeaveGroup.*");

        handle(actions, admin, "{\"action\":\"join\",\"group\":\"user:kevin\"}");
        handle(actions, admin, "{\"action\":\"join\",\"group\":\"groupcast:priming\"}");

        assertThat(connections.frames(admin.id()))
                .extracting(f -> Json.parse(f).path("error").asText())
                .containsExactly("reserved_group", "reserved_group");
    }

    @Test
    void shouldJoinWithTheConnectionsExpiry_andAck() {
        handle(actions, kevin, "{\"action\":\"join\",\"group\":\"room-42\"}");

        assertThat(store.members(GroupName.of("room-42"), Instant.parse("2026-11-28T06:04:59Z")))
                .containsExactly(kevin.id());
        assertThat(store.members(GroupName.of("room-42"), Instant.parse("2026-11-28T06:05:00Z")))
                .isEmpty();
        assertThat(connections.frames(kevin.id()))
                .containsExactly("{\"type\":\"ack\",\"action\":\"join\",\"group\":\"room-42\"}");
    }

    @Test
    void shouldLeave_andAckEvenWhenNotAMember() {
        handle(actions, kevin, "{\"action\":\"join\",\"group\":\"room-42\"}");
        handle(actions, kevin, "{\"action\":\"leave\",\"group\":\"room-42\"}");
        handle(actions, kevin, "{\"action\":\"leave\",\"group\":\"room-7\"}");

        assertThat(store.groupsOf(kevin.id())).isEmpty();
        assertThat(connections.frames(kevin.id())).hasSize(3).allMatch(f -> f.startsWith("{\"type\":\"ack\""));
    }

    @Test
    void shouldRefuseUserGroups_andBadFrames_withErrorFrames_changingNothing() {
        handle(actions, kevin, "{\"action\":\"join\",\"group\":\"user:bob\"}");
        handle(actions, kevin, "not json");
        handle(actions, kevin, "{\"action\":\"dance\",\"group\":\"room-42\"}");
        handle(actions, kevin, "{\"group\":\"room-42\"}");
        handle(actions, kevin, "{\"action\":\"join\",\"group\":\"a b\"}");

        assertThat(store.groupsOf(kevin.id())).isEmpty();
        assertThat(connections.frames(kevin.id()))
                .extracting(f -> Json.parse(f).path("error").asText())
                .containsExactly(
                        "reserved_group", "malformed_json", "unknown_action", "missing_action", "invalid_group");
    }

    @Test
    void shouldRefuseAJoinBeyondTheGroupLimit_butAllowRejoiningAndJoiningAfterALeave() {
        ClientActions limited =
                new ClientActions(store, stores.counters(), connections, permissions, publisher, noStreams, 2, clock);
        store.connect(kevin);
        handle(limited, kevin, "{\"action\":\"join\",\"group\":\"a\"}");
        handle(limited, kevin, "{\"action\":\"join\",\"group\":\"b\"}");
        handle(limited, kevin, "{\"action\":\"join\",\"group\":\"c\"}");
        handle(limited, kevin, "{\"action\":\"join\",\"group\":\"a\"}");
        handle(limited, kevin, "{\"action\":\"leave\",\"group\":\"b\"}");
        handle(limited, kevin, "{\"action\":\"join\",\"group\":\"c\"}");

        assertThat(connections.frames(kevin.id()))
                .extracting(f -> Json.parse(f).path("type").asText() + ":"
                        + Json.parse(f).path("error").asText(""))
                .containsExactly("ack:", "ack:", "error:too_many_groups", "ack:", "ack:", "ack:");
        assertThat(store.groupsOf(kevin.id()))
                .containsExactlyInAnyOrder(GroupName.of("user:kevin"), GroupName.of("a"), GroupName.of("c"));
    }

    @Test
    void shouldReadTheGroupLimitFromTheEnvironment_withinBounds() {
        assertThat(Settings.maxGroupsPerConnection(Environment.of(Map.of()))).isEqualTo(100);
        assertThat(Settings.maxGroupsPerConnection(Environment.of(Map.of("MAX_GROUPS_PER_CONNECTION", "5"))))
                .isEqualTo(5);
        Assertions.assertThatThrownBy(
                        () -> Settings.maxGroupsPerConnection(Environment.of(Map.of("MAX_GROUPS_PER_CONNECTION", "0"))))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("MAX_GROUPS_PER_CONNECTION");
    }

    @Test
    void shouldAnswerStoreUnavailable_whenTheStoreIsDown() {
        stores.down(true);
        handle(actions, kevin, "{\"action\":\"join\",\"group\":\"room-42\"}");
        assertThat(connections.frames(kevin.id()))
                .containsExactly(
                        "{\"type\":\"error\",\"error\":\"store_unavailable\",\"message\":\"the membership store is unavailable; try again\"}");
    }

    @Test
    void shouldEchoTheAckId_inTheAckOrErrorFrameAnsweringIt() {
        store.connect(kevin);

        handle(actions, kevin, "{\"action\":\"join\",\"group\":\"room-1\",\"ackId\":7}");
        handle(actions, kevin, "{\"action\":\"join\",\"group\":\"user:bob\",\"ackId\":8}");
        handle(actions, kevin, "{\"action\":\"dance\",\"ackId\":9}");
        handle(actions, kevin, "{\"action\":\"ping\",\"ackId\":10}");
        handle(actions, kevin, "{\"action\":\"join\",\"group\":\"room-1\",\"ackId\":0}");
        handle(actions, kevin, "{\"action\":\"join\",\"group\":\"room-1\",\"ackId\":\"11\"}");

        assertThat(connections.frames(kevin.id()))
                .extracting(f -> Json.parse(f).path("type").asText() + ":"
                        + Json.parse(f).path("ackId"))
                .containsExactly("ack:7", "error:8", "error:9", "pong:", "error:", "error:");
        assertThat(errors(connections.frames(kevin.id())).subList(4, 6)).containsOnly("invalid_frame");
    }

    @Test
    void shouldPublishASendOnce_whenItsAckIdComesAgain_answeringTheRepeatAsADuplicate() {
        Connection bob = connection("b1", "bob", "groupcast.sendToGroup.room-*");
        store.connect(kevin);
        store.join(kevin.id(), GroupName.of("room-42"), kevin.expiresAt());
        String send = "{\"action\":\"send\",\"group\":\"room-42\",\"data\":1,\"ackId\":5}";

        ClientActions.Answer first = handle(actions, bob, send);
        ClientActions.Answer repeat = handle(actions, bob, send);
        handle(actions, bob, send.replace("\"ackId\":5", "\"ackId\":6"));

        assertThat(connections.frames(kevin.id())).hasSize(2);
        assertThat(first.delivery()).isPresent();
        assertThat(repeat.delivery()).isEmpty();
        assertThat(connections.frames(bob.id()))
                .containsExactly(
                        "{\"type\":\"ack\",\"action\":\"send\",\"group\":\"room-42\",\"ackId\":5}",
                        "{\"type\":\"ack\",\"action\":\"send\",\"group\":\"room-42\",\"ackId\":5,\"duplicate\":true}",
                        "{\"type\":\"ack\",\"action\":\"send\",\"group\":\"room-42\",\"ackId\":6}");
    }

    @Test
    void shouldLetARefusedSendBeRetriedWithItsAckId_publishingIt() {
        Connection bob = connection("b1", "bob", "groupcast.sendToGroup.room-*");
        store.connect(kevin);
        store.join(kevin.id(), GroupName.of("room-42"), kevin.expiresAt());
        for (int i = 0; i < 3; i++) {
            handle(actions, bob, "{\"action\":\"send\",\"group\":\"room-42\",\"data\":0}");
        }
        String send = "{\"action\":\"send\",\"group\":\"room-42\",\"data\":1,\"ackId\":5}";

        ClientActions.Answer limited = handle(actions, bob, send);
        ClientActions.Answer retried = handle(actions, bob, send);

        assertThat(limited.error()).contains(ErrorCode.RATE_LIMITED);
        assertThat(retried.error())
                .as("the clock stands still: still over the rate")
                .contains(ErrorCode.RATE_LIMITED);
        assertThat(Json.parse(connections.frames(bob.id()).get(1))
                        .path("duplicate")
                        .isMissingNode())
                .as("a refused send's ackId is free for its retry")
                .isTrue();
    }

    @Test
    void shouldTellAConnectionWhoItIs_withItsGroups() {
        store.connect(kevin);
        store.join(kevin.id(), GroupName.of("room-1"), kevin.expiresAt());

        ClientActions.Answer answer = handle(actions, kevin, "{\"action\":\"whoami\",\"ackId\":3}");

        assertThat(answer.ok()).isTrue();
        assertThat(connections.frames(kevin.id()))
                .containsExactly("{\"type\":\"whoami\",\"connectionId\":\"k1\",\"userId\":\"kevin\","
                        + "\"groups\":[\"room-1\",\"user:kevin\"],\"ackId\":3}");
    }
}
