package io.groupcast.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.groupcast.core.testing.ProjectRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every error code the code can answer is listed in the README's error tables. */
class ErrorCodesDocumentedTest {
    private static final Pattern CODE = Pattern.compile(
            "(?:badRequest\\(|RequestException\\(\\d+, |errorFrame\\(|httpError\\(\\d+, |put\\(\"error\", )\"([a-z]+(?:_[a-z]+)*)\"(?=[,)])");

    @Test
    void shouldDocumentEveryErrorCode() throws IOException {
        Path root = ProjectRoot.get();
        Set<String> codes = new TreeSet<>();
        for (String module : new String[] {"shared", "functions", "local"}) {
            try (Stream<Path> files = Files.walk(root.resolve(module).resolve("src/main/java"))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    Matcher m = CODE.matcher(Files.readString(file));
                    while (m.find()) {
                        codes.add(m.group(1));
                    }
                }
            }
        }
        String readme = Files.readString(root.resolve("README.md"));

        assertThat(codes).contains("malformed_json", "too_many_groups", "store_unavailable", "not_found");
        assertThat(codes).allSatisfy(code -> assertThat(readme).as(code).contains("`" + code + "`"));
    }
}
