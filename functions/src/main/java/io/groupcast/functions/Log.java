package io.groupcast.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.groupcast.core.Json;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** One JSON object per log line, with keys rather than concatenated text; never tokens or secrets. */
final class Log {
    private Log() {
    }

    /** Logs {@code message} at {@code level} with the request id and the given fields. */
    static void write(Context context, String level, String message, Map<String, ?> fields) {
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
