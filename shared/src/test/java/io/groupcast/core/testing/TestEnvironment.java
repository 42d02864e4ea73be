package io.groupcast.core.testing;

import io.groupcast.core.config.AwsClients;
import io.groupcast.core.config.Environment;
import io.groupcast.core.delivery.Connections;
import io.groupcast.standins.LoopbackManagementApi;
import java.util.HashMap;
import java.util.Map;

/** The environment a function gets in tests: a region, dummy credentials, and this test's dynalite and API. */
public final class TestEnvironment {
    private TestEnvironment() {}

    /** What Lambda itself sets: region and credentials. */
    public static Map<String, String> aws() {
        return Map.of("AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test");
    }

    /** Every variable a function reads, pointing at {@code table} on {@code dynalite} and at {@code api}. */
    public static Map<String, String> of(Dynalite dynalite, String table, LoopbackManagementApi api) {
        Map<String, String> env = new HashMap<>(aws());
        env.put("TABLE_NAME", table);
        env.put("DYNAMODB_ENDPOINT", dynalite.endpoint().toString());
        env.put("MANAGEMENT_API_ENDPOINT", api.endpoint().toString());
        env.put("JWT_SECRET", TestTokens.SECRET);
        return Map.copyOf(env);
    }

    /** The SigV4-signed connections Groupcast posts through, to {@code api}, {@code maxInFlight} at once. */
    public static Connections connections(LoopbackManagementApi api, int maxInFlight) {
        Map<String, String> env = new HashMap<>(aws());
        env.put("MANAGEMENT_API_ENDPOINT", api.endpoint().toString());
        return AwsClients.from(Environment.of(env)).connections(maxInFlight);
    }
}
