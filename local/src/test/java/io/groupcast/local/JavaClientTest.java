package io.groupcast.local;

import static io.groupcast.local.GatewayExtension.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.groupcast.client.CloseResult;
import io.groupcast.client.ContentType;
import io.groupcast.client.GroupcastClient;
import io.groupcast.client.GroupcastClientBuilder;
import io.groupcast.client.GroupcastException;
import io.groupcast.client.NotificationStatus;
import io.groupcast.client.Permission;
import io.groupcast.client.SendRequest;
import io.groupcast.client.SendResult;
import io.groupcast.core.testing.TestTokens;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/** The Java server client, every method, against the local gateway checking SigV4 as API Gateway's AWS_IAM does. */
class JavaClientTest {
    private static final String KEY = "AKIDGROUPCASTLOCAL";
    private static final String SECRET = "local-secret-for-the-client-test";

    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.with("--verify-sigv4", KEY + ":" + SECRET);

    private static GroupcastClient client;

    private static GroupcastClient client() {
        if (client == null) {
            client = clientSigningWith(SECRET);
        }
        return client;
    }

    private static GroupcastClient clientSigningWith(String secret) {
        return builderSigningWith(secret).build();
    }

    private static GroupcastClientBuilder builderSigningWith(String secret) {
        return GroupcastClient.builder()
                .endpoint(GATEWAY.gateway().httpUrl())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY, secret)));
    }

    @AfterAll
    static void close() {
        if (client != null) {
            client.close();
        }
    }

    /** A message as the test client received it, a server's message being plain JSON. */
    record Shout(String text) {}

    @Test
    void shouldSendToAll_andStartASendTheWorkersDeliver_thenFollowIt() {
        TestClient one = GATEWAY.connect("jc-all-1");
        TestClient two = GATEWAY.connect("jc-all-2");

        SendResult all = client().sendToAll(Map.of("all", 1));
        String started = client().startSendToGroup("user:jc-all-1", Map.of("later", 1));
        NotificationStatus[] followed = new NotificationStatus[1];
        Eventually.await("the started send completes", Duration.ofSeconds(30), () -> {
            followed[0] = client().notificationStatus(started);
            return followed[0].completed();
        });
        NotificationStatus status = followed[0];

        assertThat(all.delivered()).isGreaterThanOrEqualTo(2);
        assertThat(all.notificationId()).isEmpty();
        assertThat(one.next(WAIT)).isEqualTo("{\"all\":1}");
        assertThat(two.next(WAIT)).isEqualTo("{\"all\":1}");
        assertThat(status.completed()).as(status.toString()).isTrue();
        assertThat(status.delivered()).isEqualTo(1);
        assertThat(status.deadLetteredSlices()).isZero();
        assertThat(one.next(WAIT)).isEqualTo("{\"later\":1}");
        assertThatThrownBy(() -> client().notificationStatus("00000000-0000-4000-8000-000000000000"))
                .isInstanceOfSatisfying(
                        GroupcastException.class, e -> assertThat(e.code()).isEqualTo("notification_not_found"));
    }

    @Test
    void shouldSendToUsersGroupsAndConnections_asObjectsOrStatedJson() {
        TestClient kim = GATEWAY.connect("jc-kim", TestTokens.JOIN_ANY);
        TestClient lee = GATEWAY.connect("jc-lee");
        String leeId = GATEWAY.members("user:jc-lee", 1).get(0);
        kim.send("{\"action\":\"join\",\"group\":\"jc-room\"}");
        assertThat(kim.next(WAIT)).contains("\"ack\"");

        SendResult toUser = client().sendToUser("jc-kim", "{\"n\":1}", ContentType.APPLICATION_JSON);
        SendResult toUsers = client().sendToUsers(List.of("jc-kim", "jc-lee"), new Shout("both"));
        SendResult toGroup = client().sendToGroup("jc-room", Map.of("n", 2));
        SendResult toGroups = client().sendToGroups(List.of("jc-room", "user:jc-lee"), 3);
        SendResult toConnection = client().sendToConnection(leeId, "direct");
        SendResult except = client().sendToGroup("user:jc-lee", 4, List.of(leeId));

        assertThat(List.of(toUser, toUsers, toGroup, toGroups, toConnection, except))
                .extracting(SendResult::delivered)
                .containsExactly(1, 2, 1, 2, 1, 0);
        assertThat(toUsers.recipients()).isEqualTo(2);
        assertThat(List.of(kim.next(WAIT), kim.next(WAIT), kim.next(WAIT), kim.next(WAIT)))
                .containsExactly("{\"n\":1}", "{\"text\":\"both\"}", "{\"n\":2}", "3");
        assertThat(List.of(lee.next(WAIT), lee.next(WAIT), lee.next(WAIT)))
                .containsExactly("{\"text\":\"both\"}", "3", "\"direct\"");
    }

    @Test
    void shouldManageGroupsPresenceAndConnections() {
        TestClient mo = GATEWAY.connect("jc-mo");
        String moId = GATEWAY.members("user:jc-mo", 1).get(0);

        client().addConnectionToGroup("jc-g1", moId);
        Instant linked = client().addUserToGroup("jc-g2", "jc-mo", Duration.ofHours(1));
        Instant defaultLink = client().addUserToGroup("jc-g3", "jc-mo");

        assertThat(linked)
                .isBetween(Instant.now().plusSeconds(3500), Instant.now().plusSeconds(3700));
        assertThat(defaultLink).isAfter(Instant.now().plus(Duration.ofDays(29)));
        assertThat(client().listGroupConnections("jc-g1")).containsExactly(moId);
        assertThat(client().listUserConnections("jc-mo")).containsExactly(moId);
        assertThat(client().groupExists("jc-g2")).isTrue();
        assertThat(client().groupConnectionCount("jc-g3", true)).isEqualTo(1);
        assertThat(client().userExists("jc-mo")).isTrue();
        assertThat(client().userExists("jc-nobody")).isFalse();

        client().removeConnectionFromGroup("jc-g1", moId);
        client().removeUserFromGroup("jc-g2", "jc-mo");
        assertThat(client().groupExists("jc-g1")).isFalse();
        assertThat(client().groupExists("jc-g2")).isFalse();
        assertThat(client().removeUserFromAllGroups("jc-mo")).isEqualTo(1);

        CloseResult closed = client().closeConnection(moId);
        assertThat(closed.closed()).isEqualTo(1);
        assertThat(mo.closeCode(WAIT)).isEqualTo(1000);
        GATEWAY.members("user:jc-mo", 0);
        GATEWAY.connect("jc-mo");
        GATEWAY.connect("jc-mo");
        GATEWAY.members("user:jc-mo", 2);
        assertThat(client().closeUserConnections("jc-mo").closed()).isEqualTo(2);
        GATEWAY.members("user:jc-mo", 0);
        TestClient last = GATEWAY.connect("jc-ny");
        client().addUserToGroup("jc-g4", "jc-ny");
        assertThat(client().closeGroupConnections("jc-g4").closed()).isEqualTo(1);
        assertThat(last.closeCode(WAIT)).isEqualTo(1000);
    }

    @Test
    void shouldGrantRevokeAndCheckPermissions() {
        TestClient pat = GATEWAY.connect("jc-pat");
        String id = GATEWAY.members("user:jc-pat", 1).get(0);

        assertThat(client().checkPermission(id, Permission.SEND_TO_GROUP, "jc-chat"))
                .isFalse();
        client().grantPermission(id, Permission.SEND_TO_GROUP, "jc-chat");
        client().grantPermission(id, Permission.JOIN_LEAVE_GROUP);
        assertThat(client().checkPermission(id, Permission.SEND_TO_GROUP, "jc-chat"))
                .isTrue();
        assertThat(client().checkPermission(id, Permission.JOIN_LEAVE_GROUP)).isTrue();
        pat.send("{\"action\":\"join\",\"group\":\"anything\"}");
        assertThat(pat.next(WAIT)).contains("\"ack\"");

        client().revokePermission(id, Permission.SEND_TO_GROUP, "jc-chat");
        client().revokePermission(id, Permission.JOIN_LEAVE_GROUP);
        assertThat(client().checkPermission(id, Permission.SEND_TO_GROUP, "jc-chat"))
                .isFalse();
        assertThat(client().checkPermission(id, Permission.JOIN_LEAVE_GROUP)).isFalse();
    }

    @Test
    void shouldThrowTypedExceptions_withGroupcastsCodes() {
        refused(() -> client().sendToGroup("a b", "1"), GroupcastException.Category.INVALID_REQUEST, "invalid_group");
        refused(
                () -> client().addConnectionToGroup("jc-x", "gone="),
                GroupcastException.Category.NOT_FOUND,
                "connection_not_found");
        refused(
                () -> client().sendToUser("jc-kim", "{not json", ContentType.APPLICATION_JSON),
                GroupcastException.Category.INVALID_REQUEST,
                "malformed_json");
        refused(
                () -> client().sendToUser("jc-kim", "x".repeat(140_000)),
                GroupcastException.Category.PAYLOAD_TOO_LARGE,
                "message_too_large");
        refused(
                () -> client().addConnectionToGroup("user:jc-kim", "abc="),
                GroupcastException.Category.ACCESS_DENIED,
                "reserved_group");
    }

    @Test
    void shouldConnectABrowserWithAMintedToken_inTheGroupsItsRolesAllow() {
        try (GroupcastClient backend =
                builderSigningWith(SECRET).hs256Secret(TestTokens.SECRET).build()) {
            String token = backend.getClientAccessToken(
                    "jc-minted", List.of("groupcast.joinLeaveGroup.jc-minted-room"), Duration.ofMinutes(5));
            TestClient browser = TestClient.connect(GATEWAY.gateway().webSocketUrl(), token);
            browser.send("{\"action\":\"join\",\"group\":\"jc-minted-room\"}");
            assertThat(browser.next(WAIT)).contains("\"ack\"");
            browser.send("{\"action\":\"join\",\"group\":\"jc-other-room\"}");
            assertThat(browser.next(WAIT)).contains("\"forbidden\"");

            SendResult sent = backend.sendToGroup("jc-minted-room", "hi");

            assertThat(sent.delivered()).isEqualTo(1);
            assertThat(browser.next(WAIT)).isEqualTo("\"hi\"");
            assertThat(GATEWAY.members("user:jc-minted", 1)).hasSize(1);
        }
    }

    @Test
    void shouldRefuseAConnectionWithATokenMintedWithAnotherSecret() {
        try (GroupcastClient other =
                builderSigningWith(SECRET).hs256Secret("x".repeat(32)).build()) {
            String token = other.getClientAccessToken("jc-forged", List.of(), Duration.ofMinutes(5));

            assertThatThrownBy(() -> TestClient.connect(GATEWAY.gateway().webSocketUrl(), token))
                    .isInstanceOf(TestClient.Refused.class);
        }
    }

    @Test
    void shouldDeliverOnce_whenASendIsRepeatedWithItsKey_andRefuseTheKeyForAnotherSend() {
        TestClient buyer = GATEWAY.connect("jc-buyer");
        GATEWAY.members("user:jc-buyer", 1);
        SendRequest shipped = SendRequest.toUser("jc-buyer")
                .message(Map.of("order", 17))
                .idempotencyKey("jc-order-17-" + UUID.randomUUID());

        SendResult first = client().send(shipped);
        SendResult again = client().send(shipped);
        client().sendToUser("jc-buyer", "after");

        assertThat(first.duplicate()).isFalse();
        assertThat(again.duplicate()).isTrue();
        assertThat(again.delivered()).isEqualTo(first.delivered()).isEqualTo(1);
        assertThat(List.of(buyer.next(WAIT), buyer.next(WAIT))).containsExactly("{\"order\":17}", "\"after\"");
        refused(
                () -> client().send(shipped.message(Map.of("order", 18))),
                GroupcastException.Category.INVALID_REQUEST,
                "idempotency_key_reused");
    }

    @Test
    void shouldCarryTheGatewaysRequestId_onARefusal() {
        assertThatThrownBy(() -> client().sendToGroup("a b", 1))
                .isInstanceOfSatisfying(
                        GroupcastException.class,
                        e -> assertThat(e.requestId())
                                .hasValueSatisfying(
                                        id -> assertThat(e.getMessage()).endsWith("(request id " + id + ")")));
    }

    private static void refused(ThrowingCallable call, GroupcastException.Category category, String code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(GroupcastException.class, e -> {
            assertThat(e.category()).as(e.getMessage()).isEqualTo(category);
            assertThat(e.code()).isEqualTo(code);
        });
    }

    @Test
    void shouldBeRefusedWithApiGatewaysAnswer_whenSigningWithTheWrongSecret() {
        try (GroupcastClient wrong = clientSigningWith("not-the-secret")) {
            refused(() -> wrong.sendToUser("jc-kim", "1"), GroupcastException.Category.ACCESS_DENIED, "forbidden");
            assertThatThrownBy(() -> wrong.sendToUser("jc-kim", "1"))
                    .hasMessageContaining("403 forbidden: The request signature we calculated does not match");
        }
        assertThat(GATEWAY.send("POST", "/notify", "{\"user\":\"jc-kim\",\"message\":1}")
                        .statusCode())
                .as("unsigned")
                .isEqualTo(403);
        assertThat(GATEWAY.send("GET", "/token?user=x", null).statusCode())
                .as("not a server API route: no signature needed")
                .isNotEqualTo(403);
    }

    @Test
    void shouldSignPathsAndQueriesThatNeedEncoding() {
        TestClient odd = GATEWAY.connect("jc+odd@x.y|z=");
        String id = GATEWAY.members("user:jc+odd@x.y|z=", 1).get(0);

        client().addConnectionToGroup("jc:odd+group=|@", id);
        client().grantPermission(id, Permission.SEND_TO_GROUP, "jc:odd+*");

        assertThat(client().listGroupConnections("jc:odd+group=|@")).containsExactly(id);
        assertThat(client().checkPermission(id, Permission.SEND_TO_GROUP, "jc:odd+group=|@"))
                .isTrue();
        assertThat(client().userExists("jc+odd@x.y|z=")).isTrue();
        assertThat(odd.isOpen()).isTrue();
        assertThat(URI.create(GATEWAY.gateway().httpUrl().toString())).isNotNull();
    }
}
