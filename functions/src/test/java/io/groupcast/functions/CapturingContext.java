package io.groupcast.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.fasterxml.jackson.databind.JsonNode;
import io.groupcast.core.Json;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A Lambda context whose logger keeps every line, as CloudWatch Logs would receive it. */
final class CapturingContext {
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Context context;

    CapturingContext(String function) {
        LambdaLogger logger = new LambdaLogger() {
            @Override
            public void log(String message) {
                lines.add(message.endsWith("\n") ? message.substring(0, message.length() - 1) : message);
            }

            @Override
            public void log(byte[] message) {
                log(new String(message, StandardCharsets.UTF_8));
            }
        };
        context = (Context) Proxy.newProxyInstance(CapturingContext.class.getClassLoader(), new Class<?>[] {Context.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getLogger" -> logger;
                    case "getAwsRequestId" -> "req-" + function;
                    case "getFunctionName" -> function;
                    case "getRemainingTimeInMillis", "getMemoryLimitInMB" -> 30_000;
                    default -> null;
                });
    }

    Context context() {
        return context;
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
