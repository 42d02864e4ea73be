package io.groupcast.local;

import io.groupcast.core.model.ErrorCode;
import io.groupcast.functions.edge.Metrics;
import io.groupcast.local.template.SamTemplate;
import io.groupcast.standins.ProjectRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The names that exist, read from where they are defined: the types declared in the repository's Java and JavaScript
 * sources (and the classes they import), template.yaml, the gateway's and the benchmark's options, the error codes.
 */
final class NamesInCode {
    private static final Path ROOT = ProjectRoot.get();
    private static final Pattern DECLARED = Pattern.compile("\\b(?:class|interface|record|enum)\\s+([A-Z]\\w*)");
    private static final Pattern IMPORTED = Pattern.compile("(?m)^import\\s+(?:static\\s+)?[\\w.]+\\.(\\w+);");
    private static final Pattern WORD = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern OPTION = Pattern.compile("(?<![\\w-])(--[a-z][a-z0-9-]+)");
    private static final Pattern STRING_LITERAL = Pattern.compile("\"((?:[^\"\\\\\\n]|\\\\.)*)\"");
    private static final Pattern SNAKE_LITERAL = Pattern.compile("[\"']([a-z][a-z0-9]*(?:_[a-z0-9]+)+)[\"']");

    private static Map<Path, String> sources;

    private NamesInCode() {}

    /** Every source file of the product, its tests, its clients and the benchmark: Java, JavaScript, TypeScript. */
    static synchronized Map<Path, String> sources() {
        if (sources == null) {
            try (Stream<Path> files = Files.walk(ROOT)) {
                sources = files.filter(f -> f.toString().matches(".*\\.(java|js|mjs|ts)"))
                        .filter(f -> !f.toString().contains("/node_modules/")
                                && !f.toString().contains("/target/")
                                && !f.toString().contains("/.git/"))
                        .collect(Collectors.toMap(f -> f, NamesInCode::read));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return sources;
    }

    /** The file that declares each type (nested ones included). */
    static Map<String, String> declaringSources() {
        Map<String, String> declaring = new HashMap<>();
        sources().forEach((file, text) -> {
            Matcher declaration = DECLARED.matcher(text);
            while (declaration.find()) {
                declaring.merge(declaration.group(1), text, (a, b) -> a + "\n" + b);
            }
        });
        return declaring;
    }

    /**
     * Names that may stand for a type or a resource: declared types, imported classes (and the API operation an SDK
     * request class stands for: {@code PutItemRequest} is {@code PutItem}), the words of the Java sources' string
     * literals (the AWS wire names the code speaks: {@code "AmazonSQS.SendMessageBatch"}, {@code "Host"}), every word
     * of template.yaml (its parameters, resources, outputs and the CloudFormation names it uses), and the metrics.
     */
    static Set<String> typesAndResources() {
        Set<String> names = new HashSet<>(declaringSources().keySet());
        for (String text : sources().values()) {
            Matcher imported = IMPORTED.matcher(text);
            while (imported.find()) {
                names.add(imported.group(1));
                names.add(imported.group(1).replaceFirst("Request$", ""));
            }
        }
        sources().forEach((file, text) -> {
            if (file.toString().endsWith(".java")) {
                found(STRING_LITERAL, text).forEach(literal -> names.addAll(words(literal)));
            }
        });
        names.addAll(words(read(ROOT.resolve("template.yaml"))));
        names.addAll(Metrics.ALL);
        return names;
    }

    /** The template's parameters. */
    static Set<String> parameters() {
        return template().parameters().keySet();
    }

    /** The local gateway's options ({@code --help}), its {@code token} command's, and the benchmark's. */
    static Set<String> options() {
        Set<String> options = new HashSet<>(found(OPTION, GatewayOptions.usage()));
        options.addAll(found(OPTION, read(ROOT.resolve("local/src/main/java/io/groupcast/local/Main.java"))));
        options.addAll(found(OPTION, read(ROOT.resolve("bench/src/main/java/io/groupcast/bench/Bench.java"))));
        return options;
    }

    /**
     * Environment variables: those template.yaml sets (every function's, Globals included) and every word of it, and
     * every upper-case name the product's sources or the run script mention (the variables the code reads).
     */
    static Set<String> environment() {
        Set<String> names = new HashSet<>();
        template()
                .functions()
                .values()
                .forEach(f -> names.addAll(f.environment().keySet()));
        names.addAll(words(read(ROOT.resolve("template.yaml"))));
        names.addAll(words(read(ROOT.resolve("groupcast-local"))));
        sources().forEach((file, text) -> {
            if (file.toString().contains("/src/main/")) {
                names.addAll(words(text));
            }
        });
        return names;
    }

    /** The error codes: the server's (the enum), and the codes the clients make themselves (their literals). */
    static Set<String> errorCodes() {
        Set<String> codes =
                Arrays.stream(ErrorCode.values()).map(ErrorCode::code).collect(Collectors.toCollection(HashSet::new));
        sources().forEach((file, text) -> {
            String path = file.toString();
            if (path.contains("/clients/java/src/main/") || path.contains("/clients/js/src/")) {
                codes.addAll(found(SNAKE_LITERAL, text));
            }
        });
        return codes;
    }

    static SamTemplate template() {
        return SamTemplate.read(ROOT.resolve("template.yaml"));
    }

    private static Set<String> words(String text) {
        return found(WORD, text);
    }

    private static Set<String> found(Pattern pattern, String text) {
        Set<String> found = new HashSet<>();
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            found.add(matcher.groupCount() > 0 ? matcher.group(1) : matcher.group());
        }
        return found;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** For messages: at most a few of {@code names}. */
    static String some(List<String> names) {
        return String.join("\n", names.subList(0, Math.min(names.size(), 40)));
    }
}
