package io.groupcast.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class NamesTest {
    @Test
    void shouldAcceptCommonIds_whenTheyUseAllowedCharacters() {
        assertThat(UserId.of("kevin@example.com").value()).isEqualTo("kevin@example.com");
        assertThat(UserId.of("auth0|5f7c8ec7c33c6c004bbafe82").value()).isEqualTo("auth0|5f7c8ec7c33c6c004bbafe82");
        assertThat(GroupName.of("room-42").isUserGroup()).isFalse();
        assertThat(GroupName.ofUser(UserId.of("kevin"))).isEqualTo(GroupName.of("user:kevin"));
        assertThat(GroupName.of("user:kevin").isUserGroup()).isTrue();
        assertThat(ConnectionId.of("L0SM9cOFvHcCIhw=").value()).isEqualTo("L0SM9cOFvHcCIhw=");
    }

    @Test
    void shouldRefuseGroup_whenItHasForbiddenCharacters() {
        assertThatThrownBy(() -> GroupName.of("room 42"))
                .isInstanceOf(RequestException.class)
                .hasMessage("group 'room 42' is not a valid group name: use 1-256 letters, digits or _ - . @ + = | :")
                .extracting(e -> ((RequestException) e).code())
                .isEqualTo(ErrorCode.INVALID_GROUP);
        assertThatThrownBy(() -> GroupName.of("")).isInstanceOf(RequestException.class);
        assertThatThrownBy(() -> GroupName.of("g#x")).isInstanceOf(RequestException.class);
        assertThatThrownBy(() -> GroupName.of("a".repeat(257)))
                .isInstanceOf(RequestException.class)
                .hasMessageContaining("(257 characters)");
    }

    @Test
    void shouldRefuseUserGroup_whenTheUserPartIsNotAUserId() {
        assertThatThrownBy(() -> GroupName.of("user:"))
                .isInstanceOf(RequestException.class)
                .hasMessageStartingWith("user '' is not a valid user id");
        assertThatThrownBy(() -> GroupName.of("user:a:b")).isInstanceOf(RequestException.class);
    }

    @Test
    void shouldRefuseUserAndConnectionIds_whenMalformed() {
        assertThatThrownBy(() -> UserId.of("kevin smith"))
                .isInstanceOf(RequestException.class)
                .hasMessage("user 'kevin smith' is not a valid user id: use 1-128 letters, digits or _ - . @ + = |");
        assertThatThrownBy(() -> ConnectionId.of("abc def"))
                .isInstanceOf(RequestException.class)
                .hasMessage("connection id 'abc def' is not a valid connection id");
    }

    @Test
    void shouldExpireConnection_twoHoursAndFiveMinutesAfterConnect() {
        Instant at = Instant.parse("2026-11-28T04:00:00Z");
        Connection connection = Connection.opened(ConnectionId.of("c1"), UserId.of("kevin"), at);
        assertThat(connection.expiresAt()).isEqualTo(Instant.parse("2026-11-28T06:05:00Z"));
    }
}
