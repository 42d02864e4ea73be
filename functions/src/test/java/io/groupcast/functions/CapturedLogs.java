package io.groupcast.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.fasterxml.jackson.databind.JsonNode;
import io.groupcast.core.model.Json;
import io.groupcast.standins.LambdaContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The lines a function logged through its Lambda context, as CloudWatch Logs would receive them. */
final class CapturedLogs implements LambdaLogger {
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Context context;

    CapturedLogs(String function) {
        this.context = LambdaContext.of(function, Duration.ofSeconds(30), 512, this);
    }

    /** The context of an invocation whose lines are captured here. */
    Context context() {
        return context;
    }

    @Override
    public void log(String message) {
        lines.add(message.endsWith("\n") ? message.substring(0, message.length() - 1) : message);
    }

    @Override
    public void log(byte[] message) {
        log(new String(message, StandardCharsets.UTF_8));
    }

    /** Every line logged so far. */
    List<String> lines() {
        return List.copyOf(lines);
    }

    /** The lines that are log records (not metrics), parsed. */
    List<JsonNode> logs() {
        return lines.stream().map(Json::parse).filter(line -> !line.has("_aws")).toList();
    }

    /** The Embedded Metric Format lines, parsed. */
    List<JsonNode> metrics() {
        return lines.stream().map(Json::parse).filter(line -> line.has("_aws")).toList();
    }
}
