package io.groupcast.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.groupcast.core.config.ConfigurationException;
import io.groupcast.core.config.Environment;
import io.groupcast.core.model.Connection;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.Json;
import io.groupcast.core.model.UserId;
import io.groupcast.core.testing.InMemoryMembershipStore;
import io.groupcast.core.testing.RecordingConnections;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

class ClientActionsTest {
    private final InMemoryMembershipStore store = new InMemoryMembershipStore();
    private final RecordingConnections connections = new RecordingConnections();
    private final ClientActions actions =
            new ClientActions(store, connections, ClientActions.DEFAULT_MAX_GROUPS, Clock.systemUTC());
    private final Connection kevin =
            Connection.opened(ConnectionId.of("k1"), UserId.of("kevin"), Instant.parse("2026-11-28T04:00:00Z"));

    @Test
    void shouldJoinWithTheConnectionsExpiry_andAck() {
        actions.handle(kevin, "{\"action\":\"join\",\"group\":\"room-42\"}");

        assertThat(store.members(GroupName.of("room-42"), Instant.parse("2026-11-28T06:04:59Z")))
                .containsExactly(kevin.id());
        assertThat(store.members(GroupName.of("room-42"), Instant.parse("2026-11-28T06:05:00Z")))
                .isEmpty();
        assertThat(connections.frames(kevin.id()))
                .containsExactly("{\"type\":\"ack\",\"action\":\"join\",\"group\":\"room-42\"}");
    }

    @Test
    void shouldLeave_andAckEvenWhenNotAMember() {
        actions.handle(kevin, "{\"action\":\"join\",\"group\":\"room-42\"}");
        actions.handle(kevin, "{\"action\":\"leave\",\"group\":\"room-42\"}");
        actions.handle(kevin, "{\"action\":\"leave\",\"group\":\"room-7\"}");

        assertThat(store.groupsOf(kevin.id())).isEmpty();
        assertThat(connections.frames(kevin.id())).hasSize(3).allMatch(f -> f.startsWith("{\"type\":\"ack\""));
    }

    @Test
    void shouldRefuseUserGroups_andBadFrames_withErrorFrames_changingNothing() {
        actions.handle(kevin, "{\"action\":\"join\",\"group\":\"user:bob\"}");
        actions.handle(kevin, "not json");
        actions.handle(kevin, "{\"action\":\"dance\",\"group\":\"room-42\"}");
        actions.handle(kevin, "{\"group\":\"room-42\"}");
        actions.handle(kevin, "{\"action\":\"join\",\"group\":\"a b\"}");

        assertThat(store.groupsOf(kevin.id())).isEmpty();
        assertThat(connections.frames(kevin.id()))
                .extracting(f -> Json.parse(f).path("error").asText())
                .containsExactly(
                        "reserved_group", "malformed_json", "unknown_action", "missing_action", "invalid_group");
    }

    @Test
    void shouldRefuseAJoinBeyondTheGroupLimit_butAllowRejoiningAndJoiningAfterALeave() {
        ClientActions limited = new ClientActions(
                store, connections, 2, Clock.fixed(Instant.parse("2026-11-28T04:30:00Z"), ZoneOffset.UTC));
        store.connect(kevin);
        limited.handle(kevin, "{\"action\":\"join\",\"group\":\"a\"}");
        limited.handle(kevin, "{\"action\":\"join\",\"group\":\"b\"}");
        limited.handle(kevin, "{\"action\":\"join\",\"group\":\"c\"}");
        limited.handle(kevin, "{\"action\":\"join\",\"group\":\"a\"}");
        limited.handle(kevin, "{\"action\":\"leave\",\"group\":\"b\"}");
        limited.handle(kevin, "{\"action\":\"join\",\"group\":\"c\"}");

        assertThat(connections.frames(kevin.id()))
                .extracting(f -> Json.parse(f).path("type").asText() + ":"
                        + Json.parse(f).path("error").asText(""))
                .containsExactly("ack:", "ack:", "error:too_many_groups", "ack:", "ack:", "ack:");
        assertThat(store.groupsOf(kevin.id()))
                .containsExactlyInAnyOrder(GroupName.of("user:kevin"), GroupName.of("a"), GroupName.of("c"));
    }

    @Test
    void shouldReadTheGroupLimitFromTheEnvironment_withinBounds() {
        assertThat(ClientActions.maxGroups(Environment.of(Map.of()))).isEqualTo(100);
        assertThat(ClientActions.maxGroups(Environment.of(Map.of("MAX_GROUPS_PER_CONNECTION", "5"))))
                .isEqualTo(5);
        Assertions.assertThatThrownBy(
                        () -> ClientActions.maxGroups(Environment.of(Map.of("MAX_GROUPS_PER_CONNECTION", "0"))))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("MAX_GROUPS_PER_CONNECTION");
    }

    @Test
    void shouldAnswerStoreUnavailable_whenTheStoreIsDown() {
        store.down(true);
        actions.handle(kevin, "{\"action\":\"join\",\"group\":\"room-42\"}");
        assertThat(connections.frames(kevin.id()))
                .containsExactly(
                        "{\"type\":\"error\",\"error\":\"store_unavailable\",\"message\":\"the membership store is unavailable; try again\"}");
    }
}
