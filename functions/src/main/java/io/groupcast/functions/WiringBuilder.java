package io.groupcast.functions;

import io.groupcast.core.auth.TokenVerifier;
import io.groupcast.core.config.Environment;
import io.groupcast.core.delivery.Connections;
import io.groupcast.core.delivery.FanoutSettings;
import io.groupcast.core.store.LinkStore;
import io.groupcast.core.store.MembershipStore;
import io.groupcast.core.store.dynamodb.DynamoDbTable;
import io.groupcast.functions.edge.Log;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/** Parts to use instead of those built from the environment, for {@link Wiring#builder}. */
public final class WiringBuilder {
    final Environment env;
    final Map<Class<?>, Object> given = new HashMap<>();
    boolean primesBeforeSnapshot;

    WiringBuilder(Map<String, String> env) {
        this.env = Environment.of(env);
        Log.configure(this.env);
    }

    /**
     * Uses {@code part} wherever a {@code type} is needed: a store port ({@link MembershipStore},
     * {@link LinkStore}, ...), the {@link DynamoDbTable}, {@link Connections}, {@link FanoutSettings},
     * {@link TokenVerifier} or {@link Clock}.
     */
    public <T> WiringBuilder with(Class<T> type, T part) {
        given.put(type, Objects.requireNonNull(part, "part"));
        return this;
    }

    public Wiring build() {
        return new Wiring(this);
    }
}
