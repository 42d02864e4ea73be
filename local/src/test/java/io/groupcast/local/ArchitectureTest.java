package io.groupcast.local;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import io.groupcast.standins.ProjectRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The shape of the code: packages by concern, small enough to read, without cycles. */
class ArchitectureTest {
    /** Every main class of the modules built before this one: core, functions, local gateway, test support. */
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .importPaths(Stream.of("dynalite", "standins", "shared", "functions", "local")
                    .map(module -> ProjectRoot.get().resolve(module).resolve("target/classes"))
                    .toList());

    @Test
    void shouldHaveNoPackageCycles() {
        assertThat(CLASSES.stream().map(c -> c.getPackageName()).distinct().count())
                .as("the import sees the core, the functions and the gateway")
                .isGreaterThan(10);

        slices().matching("io.groupcast.(**)").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void shouldKeepLambdaEventTypesOutOfTheCore() {
        noClasses()
                .that()
                .resideInAPackage("io.groupcast.core..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("com.amazonaws.services.lambda..")
                .check(CLASSES);
    }

    /** The packages of use cases: the features, the protocol, delivery, the ports and the values. */
    private static final String[] USE_CASES = {
        "io.groupcast.core.connections..",
        "io.groupcast.core.groups..",
        "io.groupcast.core.notify..",
        "io.groupcast.core.streams..",
        "io.groupcast.core.handlers",
        "io.groupcast.core.events",
        "io.groupcast.core.workers..",
        "io.groupcast.core.protocol..",
        "io.groupcast.core.delivery",
        "io.groupcast.core.store",
        "io.groupcast.core.model.."
    };

    @Test
    void shouldKeepTheUseCasesFreeOfConfigurationAndTheAwsSdk() {
        noClasses()
                .that()
                .resideInAnyPackage(USE_CASES)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.groupcast.core.config..", "software.amazon.awssdk..")
                .check(CLASSES);
    }

    @Test
    void shouldCallAwsOnlyFromTheAdapterPackages() {
        noClasses()
                .that()
                .resideInAPackage("io.groupcast.core..")
                .and()
                .resideOutsideOfPackages(
                        "io.groupcast.core.store.dynamodb..",
                        "io.groupcast.core.queue.sqs..",
                        "io.groupcast.core.delivery.apigateway..",
                        "io.groupcast.core.handlers.lambda..",
                        "io.groupcast.core.events.eventbridge..",
                        "io.groupcast.core.config..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("software.amazon.awssdk..")
                .check(CLASSES);
    }

    @Test
    void shouldReadTheEnvironmentOnlyInSettingsAndAtTheEdge() {
        noClasses()
                .that()
                .resideInAPackage("io.groupcast.core..")
                .and()
                .resideOutsideOfPackage("io.groupcast.core.config..")
                .should()
                .dependOnClassesThat()
                .haveFullyQualifiedName("io.groupcast.core.config.Environment")
                .check(CLASSES);
    }

    @Test
    void shouldKeepProductMethodsUnder60Lines_andClassesUnder350() throws IOException {
        List<String> tooLong = new ArrayList<>();
        for (Path file : productSources()) {
            String relative = ProjectRoot.get().relativize(file).toString();
            List<String> lines = Files.readAllLines(file);
            if (lines.size() > 350) {
                tooLong.add(relative + ": " + lines.size() + " lines");
            }
            int methodLimit = relative.startsWith("bench/") ? 100 : 60;
            for (int i = 0; i < lines.size(); i++) {
                Matcher declaration = METHOD.matcher(lines.get(i));
                if (!declaration.matches()
                        || lines.get(i).contains(" class ")
                        || lines.get(i).contains("->")) {
                    continue;
                }
                String end = declaration.group(1) + "}";
                int j = i + 1;
                while (j < lines.size() && !lines.get(j).equals(end)) {
                    j++;
                }
                if (j - i + 1 > methodLimit) {
                    tooLong.add(relative + ":" + (i + 1) + " " + lines.get(i).strip() + " (" + (j - i + 1) + " lines)");
                }
            }
        }

        assertThat(productSources()).hasSizeGreaterThan(100);
        assertThat(tooLong).isEmpty();
    }

    /**
     * A method or constructor declaration as palantir-java-format writes it: indented, a name and an opening
     * parenthesis, ending in an opening brace; not a statement.
     */
    private static final Pattern METHOD =
            Pattern.compile("^( +)(?=\\S)(?!(?:if|for|while|switch|try|catch|else|do|synchronized|return|new|case)\\b)"
                    + "(?:[\\w<>\\[\\],.? @]*\\s)?\\w+\\s*\\([^;=]*\\{\\s*$");

    private static List<Path> productSources() throws IOException {
        try (Stream<Path> files = Files.walk(ProjectRoot.get())) {
            return files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> f.toString().contains("/src/main/java/"))
                    .filter(f -> !f.toString().contains("/node_modules/"))
                    .sorted()
                    .toList();
        }
    }

    @Test
    void shouldHoldAtMostFifteenClassesInAnyPackage_ofAnyModule() throws IOException {
        Map<Path, Long> classesPerPackage;
        try (Stream<Path> files = Files.walk(ProjectRoot.get())) {
            classesPerPackage = files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> f.toString().contains("/src/main/java/"))
                    .filter(f -> !f.toString().contains("/node_modules/"))
                    .collect(Collectors.groupingBy(Path::getParent, TreeMap::new, Collectors.counting()));
        }

        assertThat(classesPerPackage).isNotEmpty();
        assertThat(classesPerPackage)
                .allSatisfy((folder, count) -> assertThat(count)
                        .as(ProjectRoot.get().relativize(folder).toString())
                        .isLessThanOrEqualTo(15));
    }
}
