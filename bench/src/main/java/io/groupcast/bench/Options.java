package io.groupcast.bench;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The scenario and its {@code --name value} options. */
record Options(String scenario, Map<String, String> values) {
    static Options parse(String[] args) {
        Map<String, String> values = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("options are --name value, not " + args[i]);
            }
            values.put(args[i], args[++i]);
        }
        return new Options(args[0], values);
    }

    int integer(String name, int fallback) {
        String value = values.get(name);
        return value == null ? fallback : Integer.parseInt(value);
    }

    List<Integer> connections(List<Integer> fallback) {
        String value = values.get("--connections");
        return value == null ? fallback : Arrays.stream(value.split(",")).map(String::trim).map(Integer::parseInt).toList();
    }
}
