package io.groupcast.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.groupcast.standins.ProjectRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The benchmark figures the docs quote are the ones in bench/results/latest.jsonl. A table says where its figures
 * come from in a comment on the line before it, one field per column:
 * {@code <!-- results fanout by connections: connections groupcastMs - ... -->} (the key column picks each row's line),
 * or, when every row is its own set of fields, {@code <!-- results readcost rows: a b / c d -->} (the first column is
 * a label); {@code -} leaves a column unchecked, {@code *1e6} or {@code /1000} scales a field to the doc's unit. A
 * figure in prose is listed in {@link QuotedFigures}. A figure matches when the measured value rounds to it.
 */
class BenchFiguresTest {
    private static final Pattern MARKER = Pattern.compile("<!-- results ([\\w.-]+) (?:by (\\w+)|rows): (.+?) -->");

    private final BenchResults results = BenchResults.read();

    @Test
    void shouldPrintInEveryMarkedTable_theFiguresOfTheResultsFile() throws IOException {
        List<String> wrong = new ArrayList<>();
        int tables = 0;
        for (Map.Entry<String, String> doc : DocSpans.texts().entrySet()) {
            List<String> lines = List.of(doc.getValue().split("\n", -1));
            for (int i = 0; i < lines.size(); i++) {
                Matcher marker = MARKER.matcher(lines.get(i));
                if (marker.matches()) {
                    tables++;
                    checkTable(doc.getKey() + ":" + (i + 1), marker, body(lines, i + 1), wrong);
                }
            }
        }

        assertThat(tables).as("tables marked with their results").isGreaterThanOrEqualTo(14);
        assertThat(wrong).as("figures that are not the results file's").isEmpty();
    }

    @Test
    void shouldQuoteInProse_theFiguresOfTheResultsFile() throws IOException {
        List<String> wrong = new ArrayList<>();
        for (QuotedFigures.Quote quote : QuotedFigures.ALL) {
            String text =
                    Files.readString(ProjectRoot.get().resolve(quote.doc())).replaceAll("\\s+", " ");
            String[] pieces = quote.phrase().split("\\{\\}", -1);
            StringBuilder regex = new StringBuilder(Pattern.quote(pieces[0]));
            for (int p = 1; p < pieces.length; p++) {
                regex.append("(").append(Figure.NUMBER).append(")").append(Pattern.quote(pieces[p]));
            }
            Matcher found = Pattern.compile(regex.toString()).matcher(text);
            if (!found.find()) {
                wrong.add(quote.doc() + " no longer says \"" + quote.phrase() + "\" (update QuotedFigures)");
                continue;
            }
            for (int g = 0; g < quote.selectors().size(); g++) {
                Figure printed = Figure.parse(found.group(g + 1));
                double measured = results.figure(quote.selectors().get(g));
                if (!printed.shows(measured)) {
                    wrong.add(quote.doc() + ": \"" + found.group() + "\" has " + found.group(g + 1) + ", the results "
                            + quote.selectors().get(g) + " = " + measured);
                }
            }
        }

        assertThat(QuotedFigures.ALL).hasSizeGreaterThan(15);
        assertThat(wrong).as("figures that are not the results file's").isEmpty();
    }

    private void checkTable(String where, Matcher marker, List<List<String>> rows, List<String> wrong) {
        String scenario = marker.group(1);
        String keyField = marker.group(2);
        List<String> rowSpecs = List.of(marker.group(3).split("\\s+/\\s+"));
        if (keyField == null && rowSpecs.size() != rows.size()) {
            wrong.add(where + ": " + rowSpecs.size() + " row specs for " + rows.size() + " rows");
            return;
        }
        for (int r = 0; r < rows.size(); r++) {
            List<String> cells = rows.get(r);
            List<String> specs;
            JsonNode line;
            if (keyField != null) {
                specs = Arrays.asList(rowSpecs.get(0).split("\\s+"));
                line = results.row(scenario, keyField, cells.get(specs.indexOf(keyField)));
            } else {
                specs = new ArrayList<>(List.of("-"));
                specs.addAll(List.of(rowSpecs.get(r).split("\\s+")));
                line = results.rows(scenario).get(0);
            }
            if (specs.size() != cells.size()) {
                wrong.add(where + ": " + specs.size() + " fields for " + cells.size() + " columns in " + cells);
                continue;
            }
            for (int c = 0; c < cells.size(); c++) {
                String spec = specs.get(c);
                if (spec.equals("-") || spec.equals(keyField) && Figure.number(cells.get(c)) == null) {
                    continue;
                }
                Figure printed = Figure.first(cells.get(c));
                double measured = BenchResults.value(line, spec);
                if (printed == null ? measured != 0 : !printed.shows(measured)) {
                    wrong.add(where + ": `" + cells.get(c).strip() + "` in row "
                            + cells.get(0).strip() + ", the results " + scenario + " " + spec + " = " + measured);
                }
            }
        }
    }

    /** The body rows of the table that starts at {@code header} (or after a blank line), split into cells. */
    private static List<List<String>> body(List<String> lines, int header) {
        while (header < lines.size() && lines.get(header).isBlank()) {
            header++;
        }
        List<List<String>> rows = new ArrayList<>();
        for (int i = header + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            String row = lines.get(i).strip();
            rows.add(List.of(row.substring(1, row.length() - 1).split("(?<!\\\\)\\|", -1)));
        }
        return rows;
    }
}
