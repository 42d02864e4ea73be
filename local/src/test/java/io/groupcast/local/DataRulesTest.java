package io.groupcast.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.groupcast.standins.ProjectRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The data rules of docs/data-model.md, enforced on the product's code (core, functions, local gateway): no Scan and no transactions
 * anywhere. The benchmark's Scan is its baseline, measured against Groupcast's Query, and lives outside these modules.
 */
class DataRulesTest {
    private static final Pattern FORBIDDEN =
            Pattern.compile("\\bscan(Paginator)?\\(|ScanRequest|transactWriteItems|transactGetItems|TransactWriteItem");

    @Test
    void shouldNeverScanOrUseTransactions() throws IOException {
        List<String> found = new ArrayList<>();
        for (String module : new String[] {"shared", "functions", "local"}) {
            try (Stream<Path> files =
                    Files.walk(ProjectRoot.get().resolve(module).resolve("src/main/java"))) {
                for (Path file :
                        files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    List<String> lines = Files.readAllLines(file);
                    for (int i = 0; i < lines.size(); i++) {
                        if (FORBIDDEN.matcher(lines.get(i)).find()) {
                            found.add(file.getFileName() + ":" + (i + 1) + ": "
                                    + lines.get(i).trim());
                        }
                    }
                }
            }
        }

        assertThat(found).isEmpty();
        assertThat(FORBIDDEN.matcher("dynamo.scanPaginator(request)").find())
                .as("the rule can fail")
                .isTrue();
    }
}
