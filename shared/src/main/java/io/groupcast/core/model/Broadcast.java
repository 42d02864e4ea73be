package io.groupcast.core.model;

import java.util.List;
import java.util.stream.IntStream;

/**
 * Every live connection, for {@code {"all": true}}: each connection is also a member of one of {@link #COUNT} shard
 * groups ({@code groupcast:all:00} to {@code groupcast:all:31}), chosen by its id. Connects spread over 32
 * partitions (no hot one), and a broadcast reads the 32 shards in parallel. Clients can neither join nor send to
 * them ({@code groupcast:} groups are reserved), and they are no streams.
 */
public final class Broadcast {
    /** The number of shards. */
    public static final int COUNT = 32;

    /** The shard groups, in order. */
    public static final List<GroupName> SHARDS = IntStream.range(0, COUNT)
            .mapToObj(i -> GroupName.of(GroupName.INTERNAL_PREFIX + "all:" + String.format("%02d", i)))
            .toList();

    private Broadcast() {}

    /** The shard group of a connection. */
    public static GroupName shardOf(ConnectionId connection) {
        return SHARDS.get(Math.floorMod(connection.value().hashCode(), COUNT));
    }
}
