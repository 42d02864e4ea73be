package io.groupcast.bench.cost;

/**
 * AWS's published prices, in one place, as read on {@link #READ_ON} for us-east-1 (N. Virginia), on-demand, first
 * tier, without free tiers. The competitors' prices are those their pages state, on the same day.
 */
final class Prices {
    /** When these prices were read. */
    static final String READ_ON = "2026-11-28";

    /** Lambda, per GB-second of duration, x86_64 (aws.amazon.com/lambda/pricing). */
    static final double LAMBDA_GB_SECOND_X86 = 0.0000166667;
    /** Lambda, per GB-second of duration, arm64 (Graviton): 20 % less. */
    static final double LAMBDA_GB_SECOND_ARM = 0.0000133334;
    /** Lambda, per request. */
    static final double LAMBDA_REQUEST = 0.20 / 1e6;

    /** DynamoDB on-demand, per write request unit (aws.amazon.com/dynamodb/pricing/on-demand). */
    static final double DYNAMODB_WRITE_UNIT = 0.625 / 1e6;
    /** DynamoDB on-demand, per read request unit (4 KB strongly consistent). */
    static final double DYNAMODB_READ_UNIT = 0.125 / 1e6;

    /** API Gateway WebSocket, per message (in 32 KB units), first billion (aws.amazon.com/api-gateway/pricing). */
    static final double WEBSOCKET_MESSAGE = 1.00 / 1e6;
    /** API Gateway WebSocket, per connection minute. */
    static final double WEBSOCKET_CONNECTION_MINUTE = 0.25 / 1e6;
    /** API Gateway HTTP API, per request, first 300 million. */
    static final double HTTP_API_REQUEST = 1.00 / 1e6;

    /** SQS standard queue, per request (64 KB units). */
    static final double SQS_REQUEST = 0.40 / 1e6;

    /** CloudWatch Logs, per GB ingested (standard class). */
    static final double LOGS_GB_INGESTED = 0.50;

    /** AppSync Events, per million operations (publishes, deliveries, connects). */
    static final double APPSYNC_EVENTS_OPERATION = 1.00 / 1e6;
    /** AppSync Events, per connection minute. */
    static final double APPSYNC_EVENTS_CONNECTION_MINUTE = 0.08 / 1e6;

    /**
     * Azure Web PubSub Standard, per unit and day (about $49 a month): 1,000 concurrent connections and 1,000,000
     * outbound messages (2 KB each) a day included per unit; units come in 1, 2, 5, 10, 20, 50, 100.
     */
    static final double WEB_PUBSUB_UNIT_DAY = 1.61;
    /** Azure Web PubSub, per million outbound messages beyond the included ones. */
    static final double WEB_PUBSUB_EXTRA_MESSAGE = 1.00 / 1e6;

    private Prices() {}
}
