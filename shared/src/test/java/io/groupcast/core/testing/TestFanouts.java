package io.groupcast.core.testing;

import io.groupcast.core.Streams;
import io.groupcast.core.config.AwsClients;
import io.groupcast.core.delivery.BoundedFanout;
import io.groupcast.core.delivery.Connections;
import io.groupcast.core.delivery.FanoutSettings;
import io.groupcast.core.store.MembershipStore;
import java.time.Clock;
import java.time.Duration;

/** Bounded fan-outs for tests: short retry delays, daemon threads. */
public final class TestFanouts {
    private TestFanouts() {}

    /** A fan-out with {@code maxInFlight} posts in flight and retry delays of a few milliseconds. */
    public static BoundedFanout bounded(Connections connections, MembershipStore store, int maxInFlight) {
        return bounded(
                connections,
                store,
                FanoutSettings.defaults()
                        .withMaxInFlight(maxInFlight)
                        .withDelays(Duration.ofMillis(1), Duration.ofMillis(5)));
    }

    /** Streams turned off (a zero resume window): messages go to no stream. */
    public static Streams noStreams(MembershipStore store, Connections connections) {
        return new Streams(store, connections, Duration.ZERO, Clock.systemUTC());
    }

    /** A fan-out with these settings. */
    public static BoundedFanout bounded(Connections connections, MembershipStore store, FanoutSettings settings) {
        return AwsClients.fanout(store, connections, settings);
    }
}
