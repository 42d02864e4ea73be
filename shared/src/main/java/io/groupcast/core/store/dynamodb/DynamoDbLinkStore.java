package io.groupcast.core.store.dynamodb;

import static io.groupcast.core.store.dynamodb.DynamoDbMembershipStore.GROUP;
import static io.groupcast.core.store.dynamodb.DynamoDbMembershipStore.GROUP_PREFIX;
import static io.groupcast.core.store.dynamodb.DynamoDbTable.BEGINS_WITH;
import static io.groupcast.core.store.dynamodb.DynamoDbTable.EXPIRES_AT;

import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.UserId;
import io.groupcast.core.store.LinkStore;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/** User links in the table: {@code pk=user#{userId}, sk=group#{group}} with the {@code group}. */
public record DynamoDbLinkStore(DynamoDbTable table) implements LinkStore {
    static final String USER_PREFIX = "user#";

    @Override
    public void link(UserId user, GroupName group, Instant expiresAt) {
        table.put(USER_PREFIX + user.value(), GROUP_PREFIX + group.value(), expiresAt, GROUP, group.value());
    }

    @Override
    public void unlink(UserId user, GroupName group) {
        table.delete(USER_PREFIX + user.value(), GROUP_PREFIX + group.value());
    }

    @Override
    public Map<GroupName, Instant> links(UserId user, Instant now) {
        QueryRequest query = table.query(USER_PREFIX + user.value(), BEGINS_WITH, GROUP_PREFIX, now, GROUP, EXPIRES_AT);
        Map<GroupName, Instant> links = new TreeMap<>(Comparator.comparing(GroupName::value));
        table.items(query)
                .forEach(item -> links.put(
                        new GroupName(item.get(GROUP).s()),
                        Instant.ofEpochSecond(
                                Long.parseLong(item.get(EXPIRES_AT).n()))));
        return links;
    }
}
