package io.groupcast.local.lambda;

import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.fasterxml.jackson.databind.JsonNode;
import io.groupcast.core.model.Json;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Set;

/**
 * Function logs of a local run, written to standard error: one JSON line each, as CloudWatch would show them, or a
 * readable line when standard error is a terminal. Embedded Metric Format lines also feed {@link LocalMetrics}.
 */
public final class LocalLogger implements LambdaLogger {
    /** Where every local function logs. */
    public static final LocalLogger INSTANCE = new LocalLogger(System.console() != null);

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    private final PrintStream out = System.err;
    private final boolean pretty;

    private LocalLogger(boolean pretty) {
        this.pretty = pretty;
    }

    @Override
    public void log(String message) {
        String line = message.endsWith("\n") ? message.substring(0, message.length() - 1) : message;
        JsonNode json = parse(line);
        boolean metrics = json != null && LocalMetrics.INSTANCE.record(json);
        String shown = pretty && json != null ? pretty(json, metrics) : line;
        synchronized (out) {
            out.println(shown);
        }
    }

    @Override
    public void log(byte[] message) {
        log(new String(message, StandardCharsets.UTF_8));
    }

    private static JsonNode parse(String line) {
        if (!line.startsWith("{")) {
            return null;
        }
        try {
            return Json.parse(line);
        } catch (RuntimeException notJson) {
            return null;
        }
    }

    /** {@code 12:00:01.234 INFO  ConnectFunction connected connectionId=… userId=…}; metrics as name=value. */
    public static String pretty(JsonNode json, boolean metrics) {
        StringBuilder out = new StringBuilder(TIME.format(Instant.now())).append(' ');
        if (metrics) {
            out.append("METRIC ").append(json.path("function").asText(""));
            json.path("_aws")
                    .path("CloudWatchMetrics")
                    .path(0)
                    .path("Metrics")
                    .forEach(m -> out.append(' ')
                            .append(m.path("Name").asText())
                            .append('=')
                            .append(json.path(m.path("Name").asText()).asText()));
            return out.toString();
        }
        out.append(String.format("%-6s", json.path("level").asText("INFO")))
                .append(json.path("function").asText(""))
                .append(' ')
                .append(json.path("message").asText(""));
        json.fields().forEachRemaining(field -> {
            if (!Set.of("level", "function", "message", "requestId").contains(field.getKey())) {
                out.append(' ')
                        .append(field.getKey())
                        .append('=')
                        .append(field.getValue().asText());
            }
        });
        return out.toString();
    }
}
