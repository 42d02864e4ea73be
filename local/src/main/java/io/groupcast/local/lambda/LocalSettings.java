package io.groupcast.local.lambda;

import java.util.Map;
import java.util.Optional;

/** What a local run resolves the template against: table, endpoints (SQS: the gateway's queues, when it serves them), region, dummy credentials, parameters. */
public record LocalSettings(
        String tableName,
        String managementEndpoint,
        Optional<String> dynamoDbEndpoint,
        String region,
        String accessKeyId,
        String secretAccessKey,
        Map<String, String> parameters,
        Optional<String> sqsEndpoint) {
    public LocalSettings {
        parameters = Map.copyOf(parameters);
    }

    /** The URL of queue {@code name} at the gateway's SQS {@code endpoint}. */
    public static String queueUrl(String endpoint, String name) {
        return endpoint + "/000000000000/" + name;
    }
}
