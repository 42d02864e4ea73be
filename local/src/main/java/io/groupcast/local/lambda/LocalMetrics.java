package io.groupcast.local.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.groupcast.core.model.Json;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * The metrics the functions emitted in Embedded Metric Format during a local run, aggregated as CloudWatch would
 * (sum, count, min, max per metric), for {@code GET /metrics}.
 */
public final class LocalMetrics {
    /** What every function of this JVM emitted. */
    public static final LocalMetrics INSTANCE = new LocalMetrics();

    private final Map<String, Stat> stats = new TreeMap<>();
    private final Map<String, String> units = new TreeMap<>();
    private String namespace = "";
    private Instant since = Instant.now();

    private LocalMetrics() {}

    private static final class Stat {
        double sum;
        long count;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
    }

    /** Forgets what was seen (a new gateway). */
    public synchronized void reset() {
        stats.clear();
        units.clear();
        since = Instant.now();
    }

    /** Takes the metrics of one EMF line; answers whether it was one. */
    synchronized boolean record(JsonNode line) {
        JsonNode directive = line.path("_aws").path("CloudWatchMetrics").path(0);
        if (directive.isMissingNode()) {
            return false;
        }
        namespace = directive.path("Namespace").asText();
        directive.path("Metrics").forEach(metric -> {
            String name = metric.path("Name").asText();
            JsonNode value = line.path(name);
            if (value.isNumber()) {
                Stat stat = stats.computeIfAbsent(name, k -> new Stat());
                stat.sum += value.asDouble();
                stat.count++;
                stat.min = Math.min(stat.min, value.asDouble());
                stat.max = Math.max(stat.max, value.asDouble());
                units.put(name, metric.path("Unit").asText("None"));
            }
        });
        return true;
    }

    /** {@code {"namespace":…,"since":…,"metrics":{"Delivered":{"unit","sum","count","min","max"}}}}. */
    public synchronized ObjectNode toJson() {
        ObjectNode answer = Json.object().put("namespace", namespace).put("since", since.toString());
        ObjectNode metrics = answer.putObject("metrics");
        stats.forEach((name, stat) -> metrics.putObject(name)
                .put("unit", units.get(name))
                .put("sum", stat.sum)
                .put("count", stat.count)
                .put("min", stat.min)
                .put("max", stat.max));
        return answer;
    }
}
