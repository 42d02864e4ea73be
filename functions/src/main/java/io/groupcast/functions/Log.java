package io.groupcast.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.groupcast.core.Json;
import java.nio.charset.StandardCharsets;
import io.groupcast.core.Environment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One JSON object per log line, with keys rather than concatenated text; never tokens or secrets. */
final class Log {
    /** Levels in order; lines below the configured one are dropped. */
    static final List<String> LEVELS = List.of("DEBUG", "INFO", "WARN", "ERROR");
    private static volatile int threshold = LEVELS.indexOf("INFO");

    private Log() {
    }

    /**
     * Reads {@code LOG_LEVEL} (DEBUG, INFO, WARN or ERROR; default INFO) and {@code METRICS_NAMESPACE}; every
     * handler calls this when it starts. A bad value fails the start with a message naming it.
     */
    static void configure(Environment env) {
        String level = env.optional("LOG_LEVEL").orElse("INFO").trim().toUpperCase(java.util.Locale.ROOT);
        if (!LEVELS.contains(level)) {
            throw new io.groupcast.core.ConfigurationException(
                    "environment variable LOG_LEVEL must be one of " + LEVELS + ", was '" + level + "'");
        }
        threshold = LEVELS.indexOf(level);
        Metrics.configure(env);
    }

    /** The environment of a handler, with logging and metrics configured from it. */
    static Environment configured(Map<String, String> env) {
        Environment environment = Environment.of(env);
        configure(environment);
        return environment;
    }

    /** Logs {@code message} at {@code level} with the request id and the given fields. */
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
            } else {
                line.put(key, String.valueOf(value));
            }
        });
        String text = new String(Json.bytes(line), StandardCharsets.UTF_8);
        if (context != null && context.getLogger() != null) {
            context.getLogger().log(text + "\n");
        } else {
            System.err.println(text);
        }
    }

    static void debug(Context context, String message, Map<String, ?> fields) {
        write(context, "DEBUG", message, fields);
    }

    static void info(Context context, String message, Map<String, ?> fields) {
        write(context, "INFO", message, fields);
    }

    static void warn(Context context, String message, Map<String, ?> fields) {
        write(context, "WARN", message, fields);
    }

    static void error(Context context, String message, Throwable error, Map<String, ?> fields) {
        Map<String, Object> all = new LinkedHashMap<>(fields);
        all.put("errorType", error.getClass().getSimpleName());
        all.put("error", String.valueOf(error.getMessage()));
        write(context, "ERROR", message, all);
    }
}
