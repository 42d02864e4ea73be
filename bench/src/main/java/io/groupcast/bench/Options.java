package io.groupcast.bench;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The scenario and its {@code --name value} options. */
record Options(String scenario, Map<String, String> values) {
    static final List<String> KNOWN = List.of(
            "--connections",
            "--latency-ms",
            "--in-flight",
            "--runs",
            "--clients",
            "--rate",
            "--workers",
            "--throttle-permille",
            "--kills",
            "--visibility",
            "--seconds");

    static Options parse(String[] args) {
        Map<String, String> values = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("options are --name value, not " + args[i]);
            }
            if (!KNOWN.contains(args[i])) {
                throw new IllegalArgumentException("unknown option " + args[i] + "; known: " + KNOWN);
            }
            String name = args[i];
            String value = args[++i];
            for (String part : value.split(",")) {
                try {
                    if (Integer.parseInt(part.trim()) <= 0) {
                        throw new NumberFormatException();
                    }
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(name + " takes positive whole numbers, not " + value);
                }
            }
            values.put(name, value);
        }
        return new Options(args[0], values);
    }

    int integer(String name, int fallback) {
        String value = values.get(name);
        return value == null ? fallback : Integer.parseInt(value);
    }

    /** A comma-separated list of whole numbers, or {@code fallback}. */
    List<Integer> integers(String name, List<Integer> fallback) {
        String value = values.get(name);
        return value == null
                ? fallback
                : Arrays.stream(value.split(","))
                        .map(String::trim)
                        .map(Integer::parseInt)
                        .toList();
    }

    List<Integer> connections(List<Integer> fallback) {
        String value = values.get("--connections");
        return value == null
                ? fallback
                : Arrays.stream(value.split(","))
                        .map(String::trim)
                        .map(Integer::parseInt)
                        .toList();
    }
}
