package io.groupcast.local.lambda;

import java.util.Map;
import java.util.Optional;

/**
 * What a local run resolves the template against: table, endpoints (SQS: the gateway's queues, when it serves them),
 * region, dummy credentials, parameters, and {@code endpoints}: variables every function gets
 * ({@code EVENT_HANDLER_URL} of {@code --event-handler-url}, {@code EVENTS_ENDPOINT} of the gateway's EventBridge).
 */
public record LocalSettings(
        String tableName,
        String managementEndpoint,
        Optional<String> dynamoDbEndpoint,
        String region,
        String accessKeyId,
        String secretAccessKey,
        Map<String, String> parameters,
        Optional<String> sqsEndpoint,
        Map<String, String> endpoints) {
    public LocalSettings {
        parameters = Map.copyOf(parameters);
        endpoints = Map.copyOf(endpoints);
    }

    /** Settings that give the functions no endpoint beyond the store, the queues and the management API. */
    public LocalSettings(
            String tableName,
            String managementEndpoint,
            Optional<String> dynamoDbEndpoint,
            String region,
            String accessKeyId,
            String secretAccessKey,
            Map<String, String> parameters,
            Optional<String> sqsEndpoint) {
        this(
                tableName,
                managementEndpoint,
                dynamoDbEndpoint,
                region,
                accessKeyId,
                secretAccessKey,
                parameters,
                sqsEndpoint,
                Map.of());
    }

    /** The URL of queue {@code name} at the gateway's SQS {@code endpoint}. */
    public static String queueUrl(String endpoint, String name) {
        return endpoint + "/000000000000/" + name;
    }
}
