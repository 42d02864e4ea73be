package io.groupcast.core.store.dynamodb;

import static io.groupcast.core.store.dynamodb.DynamoDbMembershipStore.CONNECTION_PREFIX;
import static io.groupcast.core.store.dynamodb.DynamoDbTable.BEGINS_WITH;

import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.Grant;
import io.groupcast.core.model.Grants;
import io.groupcast.core.store.GrantStore;
import java.time.Instant;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * The server's grants in the table: {@code pk=conn#{id}, sk=perm#{role}} with the {@code role}, in the connection's
 * partition, so that they expire and are removed with it.
 */
public record DynamoDbGrantStore(DynamoDbTable table) implements GrantStore {
    static final String PERMISSION_PREFIX = "perm#";
    static final String ROLE = "role";

    @Override
    public void grant(ConnectionId connection, Grant grant, Instant expiresAt) {
        table.put(
                CONNECTION_PREFIX + connection.value(),
                PERMISSION_PREFIX + grant.role(),
                expiresAt,
                ROLE,
                grant.role());
    }

    @Override
    public void revoke(ConnectionId connection, Grant grant) {
        table.delete(CONNECTION_PREFIX + connection.value(), PERMISSION_PREFIX + grant.role());
    }

    @Override
    public Grants grants(ConnectionId connection, Instant now) {
        QueryRequest query =
                table.query(CONNECTION_PREFIX + connection.value(), BEGINS_WITH, PERMISSION_PREFIX, now, ROLE);
        return Grants.ofRoles(
                table.items(query).stream().map(item -> item.get(ROLE).s()).toList());
    }
}
