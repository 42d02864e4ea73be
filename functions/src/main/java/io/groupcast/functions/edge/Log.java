package io.groupcast.functions.edge;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.groupcast.core.config.ConfigurationException;
import io.groupcast.core.config.Environment;
import io.groupcast.core.model.Json;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One JSON object per log line, with keys rather than concatenated text; never tokens, secrets or message bodies.
 * Log lines and {@link Metrics} lines leave through one sink: the invocation's logger, or standard output without one.
 */
public final class Log {
    /** Levels in order; lines below the configured one are dropped. */
    static final List<String> LEVELS = List.of("DEBUG", "INFO", "WARN", "ERROR");

    private static final PrintStream STANDARD_OUTPUT = System.out;
    private static volatile int threshold = LEVELS.indexOf("INFO");

    private Log() {}

    /**
     * Reads {@code LOG_LEVEL} (DEBUG, INFO, WARN or ERROR; default INFO) and {@code METRICS_NAMESPACE}; a bad value
     * fails the function's start with a message naming the variable.
     */
    public static void configure(Environment env) {
        String level = env.optional("LOG_LEVEL").orElse("INFO").toUpperCase(Locale.ROOT);
        if (!LEVELS.contains(level)) {
            throw new ConfigurationException(
                    "environment variable LOG_LEVEL must be one of " + LEVELS + ", was '" + level + "'");
        }
        threshold = LEVELS.indexOf(level);
        Metrics.configure(env);
    }

    /** Logs {@code message} at INFO with the request id, the function and {@code fields}. */
    public static void info(Context context, String message, Map<String, ?> fields) {
        write(context, "INFO", message, fields);
    }

    /** Logs at WARN. */
    public static void warn(Context context, String message, Map<String, ?> fields) {
        write(context, "WARN", message, fields);
    }

    /** Logs at ERROR, with the error's type and message (never its stack trace, never to a client). */
    public static void error(Context context, String message, Throwable error, Map<String, ?> fields) {
        Map<String, Object> all = new LinkedHashMap<>(fields);
        all.put("errorType", error.getClass().getSimpleName());
        all.put("error", String.valueOf(error.getMessage()));
        write(context, "ERROR", message, all);
    }

    static void write(Context context, String level, String message, Map<String, ?> fields) {
        if (LEVELS.indexOf(level) < threshold) {
            return;
        }
        ObjectNode line = Json.object().put("level", level).put("message", message);
        if (context != null) {
            line.put("requestId", context.getAwsRequestId()).put("function", context.getFunctionName());
        }
        fields.forEach((key, value) -> {
            if (value instanceof Integer number) {
                line.put(key, number);
            } else if (value instanceof Long number) {
                line.put(key, number);
            } else if (value instanceof Boolean flag) {
                line.put(key, flag);
            } else if (value instanceof Map<?, ?> map) {
                line.set(key, Json.mapper().valueToTree(map));
            } else {
                line.put(key, String.valueOf(value));
            }
        });
        emit(context, line);
    }

    /** The one sink: a JSON line to the invocation's logger (CloudWatch Logs), or to standard output. */
    static void emit(Context context, ObjectNode line) {
        String text = new String(Json.bytes(line), StandardCharsets.UTF_8);
        if (context != null && context.getLogger() != null) {
            context.getLogger().log(text + "\n");
        } else {
            STANDARD_OUTPUT.println(text);
        }
    }
}
