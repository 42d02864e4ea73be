package io.groupcast.core.testing;

import io.groupcast.core.config.AwsClients;
import io.groupcast.core.delivery.ConnectionCalls;
import io.groupcast.core.delivery.Connections;
import io.groupcast.core.delivery.FanoutSettings;
import io.groupcast.core.store.MembershipStore;
import io.groupcast.core.store.StreamLog;
import io.groupcast.core.streams.Streams;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;

/** Calls to connections for tests: short retry delays, daemon threads. */
public final class TestFanouts {
    private TestFanouts() {}

    /** Calls with {@code maxInFlight} in flight and retry delays of a few milliseconds. */
    public static ConnectionCalls bounded(Connections connections, MembershipStore store, int maxInFlight) {
        return bounded(
                connections,
                store,
                FanoutSettings.defaults()
                        .withMaxInFlight(maxInFlight)
                        .withDelays(Duration.ofMillis(1), Duration.ofMillis(5)));
    }

    /** Calls with these settings. */
    public static ConnectionCalls bounded(Connections connections, MembershipStore store, FanoutSettings settings) {
        return AwsClients.calls(store, connections, settings);
    }

    /** Streams turned off (a zero resume window): messages go to no stream. */
    public static Streams noStreams(StreamLog log, MembershipStore store, Connections connections) {
        return streams(log, store, connections, Duration.ZERO);
    }

    /** Streams with this resume window. */
    public static Streams streams(StreamLog log, MembershipStore store, Connections connections, Duration window) {
        return streams(log, store, connections, window, Clock.systemUTC());
    }

    /** Streams with this resume window and clock. */
    public static Streams streams(
            StreamLog log, MembershipStore store, Connections connections, Duration window, Clock clock) {
        return new Streams(log, store, bounded(connections, store, 32), window, BACKGROUND, clock);
    }

    /** Daemon threads for the streams' background work. */
    public static final Executor BACKGROUND = Streams.newBackground();
}
