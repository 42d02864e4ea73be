package io.groupcast.local;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import io.groupcast.testing.ProjectRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The shape of the code: packages by concern, small enough to read, without cycles. */
class ArchitectureTest {
    /** Every main class of the modules built before this one: core, functions, local gateway, test support. */
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .importPaths(Stream.of("dynalite", "testing", "shared", "functions", "local")
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
