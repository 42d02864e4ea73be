package io.groupcast.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.groupcast.core.model.Json;
import io.groupcast.local.template.SamTemplate;
import io.groupcast.standins.ProjectRoot;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The docs are a front door and pages for each reader: small, linked correctly, and in step with the template. */
class DocsTest {
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Path ROOT = ProjectRoot.get();

    @Test
    void shouldKeepTheReadmeAFrontDoor_ofAtMost10Kb() throws IOException {
        assertThat(Files.size(ROOT.resolve("README.md"))).isLessThanOrEqualTo(10 * 1024);
    }

    @Test
    void shouldResolveEveryRelativeLink_inEveryDoc() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path doc : docs()) {
            Matcher links = LINK.matcher(Files.readString(doc));
            while (links.find()) {
                String target = links.group(1);
                if (URI.create(target.replace(" ", "%20")).getScheme() != null || target.startsWith("#")) {
                    continue;
                }
                Path resolved =
                        doc.getParent().resolve(target.replaceFirst("#.*", "")).normalize();
                if (!Files.exists(resolved)) {
                    broken.add(ROOT.relativize(doc) + " -> " + target);
                }
            }
        }

        assertThat(docs()).hasSizeGreaterThanOrEqualTo(10);
        assertThat(broken).isEmpty();
    }

    @Test
    void shouldDocumentEveryTemplateParameter_inConfiguration() throws IOException {
        String configuration = Files.readString(ROOT.resolve("docs/configuration.md"));
        SamTemplate template = SamTemplate.read(ROOT.resolve("template.yaml"));

        assertThat(template.parameters().keySet())
                .allSatisfy(parameter -> assertThat(configuration).contains("| `" + parameter + "` |"));
    }

    @Test
    void shouldPointTheSamLocalEnvironment_atTheStageTheLocalGatewayServes() throws IOException {
        SamTemplate template = SamTemplate.read(ROOT.resolve("template.yaml"));
        String stage = template.webSocketStageName(Map.of());
        String endpoint = Json.parse(Files.readString(ROOT.resolve("events/env.json")))
                .path("Parameters")
                .path("MANAGEMENT_API_ENDPOINT")
                .asText();

        assertThat(URI.create(endpoint).getPath()).isEqualTo("/" + stage);
    }

    @Test
    void shouldClaimTheNodeVersionTheTestsAndDynaliteNeed_everywhere() throws IOException {
        // dynalite's engines, and node --test --test-concurrency (Node 20.10 and later) in the JS client's tests
        String engines = Json.parse(Files.readString(ROOT.resolve("package-lock.json")))
                .path("packages")
                .path("node_modules/dynalite")
                .path("engines")
                .path("node")
                .asText();
        double needed = Double.parseDouble(engines.replace(">=", ""));
        if (Files.readString(ROOT.resolve("clients/js/package.json")).contains("--test-concurrency")) {
            needed = Math.max(needed, 20.10);
        }
        Pattern claim = Pattern.compile("Node\\.js (\\d+(?:\\.\\d+)?)\\+");
        List<String> claims = new ArrayList<>();
        List<Path> claimants = new ArrayList<>(docs());
        claimants.add(ROOT.resolve("groupcast-local"));
        for (Path doc : claimants) {
            Matcher found = claim.matcher(Files.readString(doc));
            while (found.find()) {
                claims.add(ROOT.relativize(doc) + ": " + found.group(1));
            }
        }

        String version = needed == Math.floor(needed)
                ? Integer.toString((int) needed)
                : String.format(Locale.ROOT, "%.2f", needed);
        assertThat(claims)
                .hasSizeGreaterThanOrEqualTo(3)
                .allSatisfy(c -> assertThat(c).endsWith(": " + version));
    }

    private static List<Path> docs() throws IOException {
        try (Stream<Path> files = Files.walk(ROOT, 2)) {
            return files.filter(f -> f.toString().endsWith(".md"))
                    .filter(f -> !f.toString().contains("node_modules")
                            && !f.toString().contains("/target/"))
                    .sorted()
                    .toList();
        }
    }
}
