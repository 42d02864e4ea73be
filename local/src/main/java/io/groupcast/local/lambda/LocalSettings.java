package io.groupcast.local.lambda;

import java.util.Map;
import java.util.Optional;

/** What a local run resolves the template against: table, endpoints, region, dummy credentials, parameters. */
public record LocalSettings(
        String tableName,
        String managementEndpoint,
        Optional<String> dynamoDbEndpoint,
        String region,
        String accessKeyId,
        String secretAccessKey,
        Map<String, String> parameters) {
    public LocalSettings {
        parameters = Map.copyOf(parameters);
    }
}
