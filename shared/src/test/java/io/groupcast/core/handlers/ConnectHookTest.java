package io.groupcast.core.handlers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.groupcast.core.connections.ConnectionLifecycle;
import io.groupcast.core.connections.UserLimits;
import io.groupcast.core.delivery.Budget;
import io.groupcast.core.model.Connection;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.Grants;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.Permission;
import io.groupcast.core.model.UserId;
import io.groupcast.core.testing.InMemoryStores;
import io.groupcast.core.testing.RecordingConnections;
import io.groupcast.core.testing.TestFanouts;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The connect hook inside {@code $connect}'s rounds, with in-memory stores and a handler each test scripts. */
class ConnectHookTest {
    private final InMemoryStores stores = new InMemoryStores();
    private final Clock clock = Clock.fixed(Instant.parse("2026-12-02T18:00:00Z"), ZoneOffset.UTC);
    private final Connection kevin = Connection.opened(ConnectionId.of("k1"), UserId.of("kevin"), clock.instant());
    private final List<Duration> timeouts = new ArrayList<>();
    private EventHandler answer = (input, timeout) -> "{\"allow\":true}";

    private ConnectionLifecycle lifecycle(boolean allowOnFailure) {
        EventHandler recording = (input, timeout) -> {
            timeouts.add(timeout);
            return answer.call(input, timeout);
        };
        ConnectHook hook = new ConnectHook(
                Optional.of(recording),
                stores.grants(),
                new HandlerSettings(Duration.ofSeconds(5), 10, true, allowOnFailure));
        return new ConnectionLifecycle(
                stores.memberships(),
                stores.links(),
                TestFanouts.noStreams(stores.streams(), stores.memberships(), new RecordingConnections()),
                UserLimits.DEFAULTS,
                true,
                Runnable::run,
                clock,
                hook);
    }

    @Test
    void shouldJoinTheHooksGroupsWithTheLinkedOnes_andGrantItsRoles() {
        stores.links().link(kevin.user(), GroupName.of("team"), clock.instant().plusSeconds(86_400));
        answer = (input, timeout) ->
                "{\"allow\":true,\"roles\":[\"groupcast.sendToGroup.lounge\",\"app.admin\"],\"groups\":[\"lounge\"]}";

        int linked = lifecycle(false).opened(kevin, Budget.unlimited());

        assertThat(linked).isEqualTo(1);
        assertThat(stores.memberships().groupsOf(kevin.id(), clock.instant()))
                .containsExactlyInAnyOrder(
                        GroupName.of("lounge"), GroupName.of("team"), GroupName.ofUser(kevin.user()));
        Grants granted = stores.grants().grants(kevin.id(), clock.instant());
        assertThat(granted.allows(Permission.SEND_TO_GROUP, GroupName.of("lounge")))
                .isTrue();
        assertThat(granted.allows(Permission.SEND_TO_GROUP, GroupName.of("team")))
                .isFalse();
        assertThat(timeouts).containsExactly(HandlerSettings.CONNECT_TIMEOUT);
    }

    @Test
    void shouldRefuseAnExplicitRefusalOutOfShape_evenWhenFailuresAreAllowedIn() {
        List<Integer> statuses = new ArrayList<>();
        for (String reply : List.of(
                "{\"allow\":false,\"status\":\"451\"}",
                "{\"allow\":false,\"status\":503}",
                "{\"allow\":false,\"status\":403.0,\"reason\":\"" + "x".repeat(5000) + "\"}",
                "{\"allow\":false,\"status\":true}")) {
            answer = (input, timeout) -> reply;
            try {
                lifecycle(true).opened(kevin, Budget.unlimited());
                statuses.add(200);
            } catch (ConnectRefusedException e) {
                statuses.add(e.status());
            }
        }

        assertThat(statuses)
                .as("a banned user stays out whatever shape the refusal has")
                .containsExactly(451, 403, 403, 403);
        assertThat(stores.memberships().groupsOf(kevin.id(), clock.instant())).isEmpty();
    }

    @Test
    void shouldRefuseWithTheHooksStatus_andWriteNothing() {
        answer = (input, timeout) -> "{\"allow\":false,\"status\":429,\"reason\":\"slow down\"}";

        assertThatThrownBy(() -> lifecycle(false).opened(kevin, Budget.unlimited()))
                .isInstanceOfSatisfying(ConnectRefusedException.class, e -> {
                    assertThat(e.status()).isEqualTo(429);
                    assertThat(e.getMessage()).isEqualTo("slow down");
                    assertThat(e.code().code()).isEqualTo("connect_refused");
                });
        assertThat(stores.memberships().groupsOf(kevin.id(), clock.instant())).isEmpty();
    }

    @Test
    void shouldRefuseWith503_orLetIn_whenTheHookFails() {
        List<EventHandler> failures = List.of(
                (input, timeout) -> {
                    throw new HandlerTimeoutException("slow", null);
                },
                (input, timeout) -> {
                    throw new HandlerFailedException("boom");
                },
                (input, timeout) -> "{\"allow\":1}",
                (input, timeout) -> "{\"allow\":true,\"groups\":[\"user:bob\"]}",
                (input, timeout) -> "{\"allow\":true,\"roles\":[\"groupcast.fly\"]}");
        for (EventHandler failure : failures) {
            answer = failure;
            assertThatThrownBy(() -> lifecycle(false).opened(kevin, Budget.unlimited()))
                    .isInstanceOfSatisfying(
                            ConnectRefusedException.class,
                            e -> assertThat(e.status()).isEqualTo(503));

            ConnectHook.Admission admitted = lifecycle(true).admit(kevin, Budget.unlimited());
            assertThat(admitted.groups()).isEmpty();
            assertThat(admitted.failure()).isPresent();
        }
    }

    @Test
    void shouldGiveTheHookOnlyWhatTheConnectCanSpare() {
        lifecycle(false).admit(kevin, () -> 8_000);
        assertThatThrownBy(() -> lifecycle(false).admit(kevin, () -> 6_000))
                .isInstanceOf(ConnectRefusedException.class);

        assertThat(timeouts).containsExactly(Duration.ofMillis(1_500));
    }
}
