package io.groupcast.core.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.groupcast.core.model.ApiGatewayLimits;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.RequestException;
import io.groupcast.core.protocol.MessageFrames;
import java.nio.charset.StandardCharsets;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

class NotifyRequestTest {
    @Test
    void shouldTargetUserGroup_whenUserIsGiven() {
        NotifyRequest request = NotifyRequest.parse("{\"user\":\"kevin\",\"message\":{\"text\":\"hi\", \"n\": 1.50}}");
        assertThat(request.groups()).containsExactly(GroupName.of("user:kevin"));
        assertThat(new String(request.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"text\":\"hi\",\"n\":1.50}");
        assertThat(request.except()).isEmpty();
    }

    @Test
    void shouldSendStringQuoted_andKeepExceptions() {
        NotifyRequest request = NotifyRequest.parse(
                "{\"group\":\"room-42\",\"message\":\"hello\",\"exceptConnectionIds\":[\"abc=\",\"def\"]}");
        assertThat(request.groups()).containsExactly(GroupName.of("room-42"));
        assertThat(new String(request.payload(), StandardCharsets.UTF_8)).isEqualTo("\"hello\"");
        assertThat(request.except()).containsExactlyInAnyOrder(ConnectionId.of("abc="), ConnectionId.of("def"));
    }

    @Test
    void shouldRefuseMalformedJson() {
        refused("{\"user\":", 400, "malformed_json").hasMessageStartingWith("the body is not valid JSON");
        refused("", 400, "malformed_json").hasMessage("the body is empty; send a JSON object");
        refused("{\"user\":\"a\",\"user\":\"b\",\"message\":1}", 400, "malformed_json")
                .hasMessage("the body is not valid JSON: field 'user' appears more than once (line 1, column 19)");
        refused("{\"user\":\"a\",\"message\":1} {}", 400, "malformed_json")
                .hasMessage("the body is not valid JSON: there is more after the first JSON value (line 1, column 26)");
        refused("{\"user\":\"a\",\"message\":", 400, "malformed_json")
                .hasMessageStartingWith("the body is not valid JSON: it ends too early");
        refused("{\"user\":\"a\",\"message\":" + "[".repeat(5000) + "]".repeat(5000) + "}", 400, "malformed_json")
                .hasMessage(
                        "the body is not valid JSON: it is nested too deeply, or a number or string in it is too long");
        refused("{'user': 'a'}", 400, "malformed_json").message().doesNotContain("com.fasterxml", "Exception");
    }

    @Test
    void shouldTakeSeveralUsersOrGroups_orOneConnection() {
        NotifyRequest users = NotifyRequest.parse("{\"users\":[\"a\",\"b\",\"a\"],\"message\":1}");
        NotifyRequest groups = NotifyRequest.parse("{\"groups\":[\"room-1\",\"user:c\"],\"message\":1}");
        NotifyRequest one = NotifyRequest.parse("{\"connectionId\":\"L0SM9cOFvHcCIhw=\",\"message\":1}");

        assertThat(users.groups()).containsExactly(GroupName.of("user:a"), GroupName.of("user:b"));
        assertThat(groups.groups()).containsExactly(GroupName.of("room-1"), GroupName.of("user:c"));
        assertThat(one.connection()).contains(ConnectionId.of("L0SM9cOFvHcCIhw="));
        assertThat(one.target()).isEqualTo("connection L0SM9cOFvHcCIhw=");
        refused("{\"users\":[],\"message\":1}", 400, "invalid_target");
        refused("{\"groups\":\"room-1\",\"message\":1}", 400, "invalid_target");
        refused("{\"groups\":[" + "\"g\",".repeat(100) + "\"g\"],\"message\":1}", 400, "invalid_target");
        refused("{\"users\":[\"a b\"],\"message\":1}", 400, "invalid_user");
        refused("{\"connectionId\":7,\"message\":1}", 400, "invalid_connection_id");
        refused("{\"user\":\"a\",\"connectionId\":\"x\",\"message\":1}", 400, "invalid_target");
    }

    @Test
    void shouldRefuseBothOrNeitherTarget() {
        refused("{\"user\":\"a\",\"group\":\"b\",\"message\":1}", 400, "invalid_target")
                .hasMessage(
                        "give exactly one of \"user\", \"group\", \"users\", \"groups\", \"connectionId\" or \"all\"; got user, group");
        refused("{\"message\":1}", 400, "invalid_target");
    }

    @Test
    void shouldRefuseMissingMessage_invalidNames_andUnknownFields() {
        refused("{\"user\":\"kevin\"}", 400, "missing_message").hasMessage("\"message\" is required (any JSON value)");
        refused("{\"group\":\"room 42\",\"message\":1}", 400, "invalid_group");
        refused("{\"user\":7,\"message\":1}", 400, "invalid_user")
                .hasMessage("\"user\" must be a string, not a number");
        refused("{\"user\":\"kevin\",\"message\":1,\"mesage\":2}", 400, "unknown_field")
                .hasMessage("unknown field(s) [mesage]; allowed are user, group, users, groups, connectionId, all,"
                        + " message, exceptConnectionIds, async, idempotencyKey");
        refused("{\"user\":\"kevin\",\"message\":1,\"idempotencyKey\":\"a b\"}", 400, "invalid_idempotency_key")
                .hasMessage("\"idempotencyKey\" must be 1 to 128 letters, digits or _ - . @ + = | :, not 'a b'");
        refused("{\"user\":\"kevin\",\"message\":1,\"idempotencyKey\":7}", 400, "invalid_idempotency_key");
        refused("[1]", 400, "invalid_body").hasMessage("the body must be a JSON object, not an array");
        refused("{\"all\":false,\"message\":1}", 400, "invalid_target")
                .hasMessage("\"all\" must be true (every live connection), not false");
        refused("{\"group\":\"g\",\"async\":\"yes\",\"message\":1}", 400, "invalid_async")
                .hasMessage("\"async\" must be true or false, not a string");
        refused("{\"user\":\"kevin\",\"message\":1,\"exceptConnectionIds\":\"abc\"}", 400, "invalid_except");
        refused("{\"user\":\"kevin\",\"message\":1,\"exceptConnectionIds\":[\"a b\"]}", 400, "invalid_connection_id");
    }

    @Test
    void shouldRefuseMoreThanAThousandExcludedConnections_with400NotAStoreError() {
        String ids = java.util.stream.IntStream.range(0, NotifyRequest.MAX_EXCEPTED + 1)
                .mapToObj(i -> "\"c" + i + "AAAAAAAAAAAAA=\"")
                .collect(java.util.stream.Collectors.joining(","));
        refused("{\"group\":\"g\",\"message\":1,\"exceptConnectionIds\":[" + ids + "]}", 400, "too_many_excepted")
                .hasMessage("\"exceptConnectionIds\" lists 1001 connection ids; the limit is 1000 (they are recorded"
                        + " with the message, whose record DynamoDB caps at 400 KB)");
        String thousand = ids.substring(0, ids.lastIndexOf(','));
        assertThat(NotifyRequest.parse("{\"group\":\"g\",\"message\":1,\"exceptConnectionIds\":[" + thousand + "]}")
                        .except())
                .hasSize(1000);
    }

    @Test
    void shouldRefuseOversizeMessage_with413() {
        String big = "x".repeat(NotifyRequest.MAX_MESSAGE_BYTES - 1);
        refused("{\"user\":\"kevin\",\"message\":\"" + big + "\"}", 413, "message_too_large")
                .hasMessage("the message is 130561 bytes as JSON; the limit is 130560 bytes (128 KB less 512 bytes "
                        + "for the envelopes clients receive it in)");
        String fits = "x".repeat(NotifyRequest.MAX_MESSAGE_BYTES - 2);
        byte[] payload = NotifyRequest.parse("{\"user\":\"kevin\",\"message\":\"" + fits + "\"}")
                .payload();
        assertThat(payload).hasSize(NotifyRequest.MAX_MESSAGE_BYTES);
        assertThat(MessageFrames.fromServer(payload)
                        .inStream(
                                "user:" + "u".repeat(128),
                                Long.MAX_VALUE,
                                "0d6a3d3b-5f6c-4a43-9c07-7a3f9f1d2e4b",
                                "e".repeat(36))
                        .largest())
                .isLessThanOrEqualTo(ApiGatewayLimits.MESSAGE_BYTES);
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> refused(String body, int status, String code) {
        return assertThatThrownBy(() -> NotifyRequest.parse(body)).isInstanceOfSatisfying(RequestException.class, e -> {
            assertThat(e.status()).isEqualTo(status);
            assertThat(e.code().code()).isEqualTo(code);
        });
    }
}
