package io.groupcast.local;

import io.groupcast.standins.ProjectRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** What the docs say in backticks: every inline code span of README.md, BENCHMARKS.md and docs/*.md, with its place. */
record DocSpans(List<Span> spans) {
    private static final Pattern SPAN = Pattern.compile("`([^`\\n]+)`");
    /** Other products whose API the docs compare Groupcast with. */
    private static final Pattern OTHER_PRODUCT = Pattern.compile("SignalR|Web PubSub");

    /**
     * One inline code span: its text, where it is ({@code docs/scale.md:42}), and whether it names another product's
     * API ({@code SignalR's `Clients.All`}, or a cell of a table column headed by that product).
     */
    record Span(String text, String where, boolean foreign) {}

    /** The spans of every doc, code fences left out (their commands are examples of other tools too). */
    static DocSpans read() {
        List<Span> spans = new ArrayList<>();
        for (Path doc : docs()) {
            String where = ProjectRoot.get().relativize(doc).toString();
            List<String> lines = lines(doc);
            boolean fenced = false;
            List<String> header = List.of();
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.strip().startsWith("```")) {
                    fenced = !fenced;
                    continue;
                }
                if (fenced) {
                    continue;
                }
                if (line.startsWith("|")
                        && i + 1 < lines.size()
                        && lines.get(i + 1).matches("\\|[ :|-]+")) {
                    header = cells(line);
                } else if (!line.startsWith("|")) {
                    header = List.of();
                }
                Matcher span = SPAN.matcher(line);
                while (span.find()) {
                    String before = line.substring(0, span.start());
                    int column = cells(before).size() - 1;
                    boolean foreign = before.matches(".*(" + OTHER_PRODUCT + ")'s $")
                            || (column >= 0
                                    && column < header.size()
                                    && OTHER_PRODUCT.matcher(header.get(column)).find());
                    spans.add(new Span(span.group(1), where + ":" + (i + 1), foreign));
                }
            }
        }
        return new DocSpans(List.copyOf(spans));
    }

    /** The spans whose whole text matches {@code pattern}. */
    List<Span> matching(Pattern pattern) {
        return spans.stream().filter(s -> pattern.matcher(s.text()).matches()).toList();
    }

    /** Each doc's whole text, by its path from the root. */
    static Map<String, String> texts() {
        Map<String, String> texts = new LinkedHashMap<>();
        for (Path doc : docs()) {
            texts.put(ProjectRoot.get().relativize(doc).toString(), String.join("\n", lines(doc)));
        }
        return texts;
    }

    /** A table row's cells (a row cut short: the cells so far, the last one open). */
    private static List<String> cells(String row) {
        if (!row.startsWith("|")) {
            return List.of();
        }
        return List.of(row.substring(1).split("(?<!\\\\)\\|", -1));
    }

    /** README.md, BENCHMARKS.md and every Markdown page in docs/. */
    static List<Path> docs() {
        Path root = ProjectRoot.get();
        try (Stream<Path> pages = Files.list(root.resolve("docs"))) {
            List<Path> docs = new ArrayList<>(List.of(root.resolve("README.md"), root.resolve("BENCHMARKS.md")));
            pages.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
            return docs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> lines(Path doc) {
        try {
            return Files.readAllLines(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
