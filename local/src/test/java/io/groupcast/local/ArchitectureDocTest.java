package io.groupcast.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.groupcast.functions.edge.Metrics;
import io.groupcast.local.template.SamTemplate;
import io.groupcast.standins.ProjectRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** docs/architecture.md walks the code file by file: every class (or function, or metric) it names must exist. */
class ArchitectureDocTest {
    private static final Path ROOT = ProjectRoot.get();
    private static final Pattern NAMED = Pattern.compile("`([A-Z][A-Za-z0-9]+)`");
    private static final Pattern DECLARED = Pattern.compile("\\b(?:class|interface|record|enum)\\s+([A-Z]\\w*)");

    @Test
    void shouldNameOnlyClassesAndFunctionsThatExist() throws IOException {
        Set<String> declared = declaredTypes();
        declared.addAll(
                SamTemplate.read(ROOT.resolve("template.yaml")).functions().keySet());
        declared.addAll(Metrics.ALL);
        Matcher named = NAMED.matcher(Files.readString(ROOT.resolve("docs/architecture.md")));
        Set<String> mentioned = new HashSet<>();
        while (named.find()) {
            mentioned.add(named.group(1));
        }

        assertThat(mentioned).as("the classes the page names").hasSizeGreaterThan(40);
        assertThat(mentioned)
                .allSatisfy(name -> assertThat(declared)
                        .as("docs/architecture.md names " + name)
                        .contains(name));
    }

    /** Every type declared in the project's Java sources, nested ones included. */
    private static Set<String> declaredTypes() throws IOException {
        Set<String> types = new HashSet<>();
        List<Path> sources;
        try (Stream<Path> files = Files.walk(ROOT)) {
            sources = files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> !f.toString().contains("/node_modules/"))
                    .toList();
        }
        for (Path source : sources) {
            Matcher declaration = DECLARED.matcher(Files.readString(source));
            while (declaration.find()) {
                types.add(declaration.group(1));
            }
        }
        return types;
    }
}
