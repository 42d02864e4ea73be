package io.groupcast.functions.edge;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.groupcast.core.config.ConfigurationException;
import io.groupcast.core.config.Environment;
import io.groupcast.core.model.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * CloudWatch metrics as Embedded Metric Format lines: one JSON object per invocation, written to the function's log
 * (CloudWatch extracts the metrics from it, no API call, no extra latency). The namespace comes from
 * {@code METRICS_NAMESPACE} (default {@code Groupcast}); metrics have no dimensions, so one namespace per stack.
 */
public final class Metrics {
    public static final String CONNECTIONS_OPENED = "ConnectionsOpened";
    public static final String CONNECTIONS_CLOSED = "ConnectionsClosed";
    public static final String AUTHORIZER_ALLOWED = "AuthorizerAllowed";
    public static final String AUTHORIZER_DENIALS = "AuthorizerDenials";
    public static final String CLIENT_ACTIONS = "ClientActions";
    public static final String CLIENT_ACTION_ERRORS = "ClientActionErrors";
    public static final String NOTIFY_REQUESTS = "NotifyRequests";
    public static final String NOTIFY_REFUSED = "NotifyRefused";
    public static final String RECIPIENTS = "NotifyRecipients";
    public static final String DELIVERED = "Delivered";
    public static final String GONE = "Gone";
    public static final String FAILED = "Failed";
    public static final String SKIPPED = "Skipped";
    public static final String FANOUT_DURATION = "FanoutDuration";
    public static final String STORE_ERRORS = "StoreErrors";
    public static final String SERVER_API_REQUESTS = "ServerApiRequests";
    public static final String HANDLER_ERRORS = "HandlerErrors";
    public static final String EVENTS_FAILED = "EventsFailed";

    /** Every metric Groupcast emits (docs/operations.md names each one; a test checks). */
    public static final List<String> ALL = List.of(
            CONNECTIONS_OPENED,
            CONNECTIONS_CLOSED,
            AUTHORIZER_ALLOWED,
            AUTHORIZER_DENIALS,
            CLIENT_ACTIONS,
            CLIENT_ACTION_ERRORS,
            NOTIFY_REQUESTS,
            NOTIFY_REFUSED,
            RECIPIENTS,
            DELIVERED,
            GONE,
            FAILED,
            HANDLER_ERRORS,
            EVENTS_FAILED,
            SKIPPED,
            FANOUT_DURATION,
            STORE_ERRORS,
            SERVER_API_REQUESTS);

    static final String DEFAULT_NAMESPACE = "Groupcast";
    private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9._/#:-]{1,255}");
    private static volatile String namespace = DEFAULT_NAMESPACE;

    private Metrics() {}

    /** Reads {@code METRICS_NAMESPACE}; a bad value fails the function at start with a message naming it. */
    static void configure(Environment env) {
        String value = env.optional("METRICS_NAMESPACE").orElse(DEFAULT_NAMESPACE);
        if (!NAMESPACE.matcher(value).matches() || value.startsWith("AWS/")) {
            throw new ConfigurationException("environment variable METRICS_NAMESPACE must be 1-255 "
                    + "letters, digits or . _ / # : - and not start with AWS/, was '" + value + "'");
        }
        namespace = value;
    }

    /** Counts of one invocation (unit Count). */
    public static void count(Context context, Map<String, ? extends Number> counts) {
        emit(context, counts, Map.of());
    }

    /** Values of one invocation; those named in {@code milliseconds} have unit Milliseconds, the rest Count. */
    public static void emit(Context context, Map<String, ? extends Number> values, Map<String, Long> milliseconds) {
        ObjectNode line = Json.object();
        ObjectNode aws = line.putObject("_aws").put("Timestamp", System.currentTimeMillis());
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject().put("Namespace", namespace);
        directive.putArray("Dimensions").addArray();
        ArrayNode metrics = directive.putArray("Metrics");
        Map<String, Number> all = new LinkedHashMap<>(values);
        all.putAll(milliseconds);
        all.forEach((name, value) -> {
            metrics.addObject()
                    .put("Name", name)
                    .put("Unit", milliseconds.containsKey(name) ? "Milliseconds" : "Count");
            line.put(name, value.longValue());
        });
        if (context != null) {
            line.put("function", context.getFunctionName()).put("requestId", context.getAwsRequestId());
        }
        Log.emit(context, line);
    }
}
