package io.groupcast.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.groupcast.core.model.Connection;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.UserId;
import io.groupcast.core.store.dynamodb.DynamoDbMembershipStore;
import io.groupcast.core.store.dynamodb.DynamoDbTable;
import io.groupcast.core.testing.Dynalite;
import io.groupcast.core.testing.TestEnvironment;
import io.groupcast.standins.LoopbackManagementApi;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** SnapStart priming runs each function's hot paths against the real table and API, and changes nothing. */
class PrimingTest {
    @RegisterExtension
    static final Dynalite DYNALITE = new Dynalite();

    private final LoopbackManagementApi api = LoopbackManagementApi.start();

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void shouldPrimeEveryFunction_withoutWritingOrPosting() {
        String table = DYNALITE.createTable();
        DynamoDbMembershipStore store = new DynamoDbMembershipStore(new DynamoDbTable(DYNALITE.client(), table));
        store.connect(Connection.opened(ConnectionId.of("k1="), UserId.of("kevin"), Instant.now()));
        api.open("k1=");
        Map<String, String> env = TestEnvironment.of(DYNALITE, table, api);
        List<Map<String, AttributeValue>> before = items(table);

        new AuthorizeHandler(Wiring.of(env)).prime();
        new WebSocketHandler(Wiring.of(env)).prime();
        new ServerApiHandler(Wiring.of(env)).prime();

        assertThat(items(table))
                .containsExactlyInAnyOrderElementsOf(before)
                .hasSize(3); // the record, the user group, the broadcast shard
        assertThat(api.posts()).isZero();
        assertThat(api.frames("k1=")).isEmpty();
    }

    @Test
    void shouldKeepTheRegisteredPrimingAlive() {
        int before = Priming.registered();

        Priming.register("test", () -> {});

        assertThat(Priming.registered()).isEqualTo(before + 1);
    }

    private static List<Map<String, AttributeValue>> items(String table) {
        return DYNALITE.client().scanPaginator(b -> b.tableName(table).consistentRead(true)).items().stream()
                .toList();
    }
}
