package io.groupcast.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.groupcast.core.model.Json;
import io.groupcast.standins.ProjectRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * bench/results/latest.jsonl, the one source of the benchmark figures the docs quote, and the selectors that name a
 * figure in it: {@code fanout[connections=10000].groupcastMs}, {@code cost[operation=connect].oursUsdArm64*1e6}.
 */
record BenchResults(List<JsonNode> lines) {
    private static final Pattern SELECTOR =
            Pattern.compile("([\\w-]+)(?:\\[(\\w+)=([^\\]]+)\\])?\\.([\\w.]+?)(?:([*/])([\\d.e]+))?");

    static BenchResults read() {
        try {
            List<JsonNode> lines = new ArrayList<>();
            for (String line : Files.readAllLines(ProjectRoot.get().resolve("bench/results/latest.jsonl"))) {
                if (!line.isBlank()) {
                    lines.add(Json.parse(line));
                }
            }
            return new BenchResults(List.copyOf(lines));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The lines of a scenario ({@code cost}), or the elements of an array of its line ({@code cost-workloads.workloads}). */
    List<JsonNode> rows(String scenario) {
        String[] parts = scenario.split("\\.", 2);
        List<JsonNode> rows = new ArrayList<>();
        for (JsonNode line : lines) {
            if (line.path("scenario").asText().equals(parts[0])) {
                if (parts.length == 1) {
                    rows.add(line);
                } else {
                    line.path(parts[1]).forEach(rows::add);
                }
            }
        }
        return rows;
    }

    /** The row whose {@code field} is {@code key}: the same number, the same text, or else the one text starting so. */
    JsonNode row(String scenario, String field, String cell) {
        String key = cell.replace("**", "").replace("`", "").strip();
        List<JsonNode> rows = rows(scenario);
        Double number = Figure.number(key);
        for (JsonNode row : rows) {
            JsonNode value = row.path(field);
            if (number != null && value.isNumber() && value.asDouble() == number) {
                return row;
            }
            if (value.asText().equalsIgnoreCase(key)) {
                return row;
            }
        }
        String firstWord = key.split("[\\s(]")[0].toLowerCase(Locale.ROOT);
        List<JsonNode> starting = rows.stream()
                .filter(row -> row.path(field).asText().toLowerCase(Locale.ROOT).startsWith(firstWord))
                .toList();
        if (number == null && starting.size() == 1) {
            return starting.get(0);
        }
        throw new AssertionError("bench/results/latest.jsonl has no " + scenario + " line with " + field + " " + key);
    }

    /** The figure a selector names, scaled as it says. */
    double figure(String selector) {
        Matcher parts = SELECTOR.matcher(selector);
        if (!parts.matches()) {
            throw new IllegalArgumentException("not a selector: " + selector);
        }
        List<JsonNode> rows = rows(parts.group(1));
        JsonNode row =
                parts.group(2) == null ? single(rows, selector) : row(parts.group(1), parts.group(2), parts.group(3));
        return value(row, parts.group(4) + (parts.group(5) == null ? "" : parts.group(5) + parts.group(6)));
    }

    /** A field of a row ({@code user.storedMs}), scaled by a suffix ({@code *1e6}, {@code /1000}). */
    static double value(JsonNode row, String spec) {
        Matcher scaled = Pattern.compile("([\\w.]+?)(?:([*/])([\\d.e]+))?").matcher(spec);
        if (!scaled.matches()) {
            throw new IllegalArgumentException("not a field: " + spec);
        }
        JsonNode node = row;
        for (String name : scaled.group(1).split("\\.")) {
            node = node.path(name);
        }
        if (!node.isNumber() && !node.isBoolean()) {
            throw new AssertionError("no number at " + scaled.group(1) + " in " + row);
        }
        double value = node.isBoolean() ? (node.asBoolean() ? 1 : 0) : node.asDouble();
        if (scaled.group(2) == null) {
            return value;
        }
        double factor = Double.parseDouble(scaled.group(3));
        return scaled.group(2).equals("*") ? value * factor : value / factor;
    }

    private static JsonNode single(List<JsonNode> rows, String selector) {
        if (rows.size() != 1) {
            throw new AssertionError(selector + ": " + rows.size() + " lines, not one");
        }
        return rows.get(0);
    }
}
