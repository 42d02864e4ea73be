package io.groupcast.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * What {@code mvn install} of this module alone publishes, read from {@code target/} after {@code package}: a pom with
 * no parent to resolve and every dependency's version written out (each one in the local repository, so resolvable),
 * the metadata a public repository asks for, a jar with a stable module name, and the sources and javadoc jars.
 */
class PublishedArtifactIT {
    private static final Path TARGET = Path.of(System.getProperty("artifact.directory", "target"));
    private static final String FINAL_NAME = System.getProperty("artifact.finalName");
    private static final String VERSION = System.getProperty("artifact.version");

    private static Element pom() throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(false);
        Document pom = factory.newDocumentBuilder()
                .parse(TARGET.resolve("flattened-pom.xml").toFile());
        return pom.getDocumentElement();
    }

    private static String text(Element parent, String path) {
        Element at = parent;
        for (String name : path.split("/")) {
            NodeList children = at.getElementsByTagName(name);
            if (children.getLength() == 0) {
                return "";
            }
            at = (Element) children.item(0);
        }
        return at.getTextContent().trim();
    }

    @Test
    void shouldPublishAPomWithoutAParent_andWithWhatAPublicRepositoryAsksFor() throws Exception {
        Element pom = pom();

        assertThat(pom.getElementsByTagName("parent").getLength()).isZero();
        assertThat(text(pom, "groupId")).isEqualTo("io.groupcast");
        assertThat(text(pom, "artifactId")).isEqualTo("groupcast-client");
        assertThat(text(pom, "version")).isEqualTo(VERSION);
        assertThat(text(pom, "licenses/license/name")).isEqualTo("Apache-2.0");
        assertThat(text(pom, "url")).startsWith("https://");
        assertThat(text(pom, "scm/url")).startsWith("https://");
        assertThat(text(pom, "scm/connection")).startsWith("scm:git:");
        assertThat(text(pom, "developers/developer/name")).isNotEmpty();
        assertThat(text(pom, "description")).isNotEmpty();
    }

    @Test
    void shouldNameEveryDependencyWithAVersionTheLocalRepositoryHolds() throws Exception {
        NodeList dependencies = pom().getElementsByTagName("dependency");
        Path repository = Path.of(System.getProperty("localRepository"));
        List<String> unresolved = new ArrayList<>();
        for (int i = 0; i < dependencies.getLength(); i++) {
            Element dependency = (Element) dependencies.item(i);
            String group = text(dependency, "groupId");
            String artifact = text(dependency, "artifactId");
            String version = text(dependency, "version");
            assertThat(text(dependency, "scope")).as(artifact).isIn("", "compile", "runtime");
            Path pom = repository
                    .resolve(group.replace('.', '/'))
                    .resolve(artifact)
                    .resolve(version)
                    .resolve(artifact + "-" + version + ".pom");
            if (version.isEmpty() || version.contains("${") || !Files.exists(pom)) {
                unresolved.add(group + ":" + artifact + ":" + version);
            }
        }

        assertThat(dependencies.getLength()).isGreaterThan(0);
        assertThat(unresolved).isEmpty();
    }

    @Test
    void shouldShipAJarWithAModuleName_andItsSourcesAndJavadoc() throws IOException {
        try (JarFile jar = new JarFile(TARGET.resolve(FINAL_NAME + ".jar").toFile())) {
            Manifest manifest = jar.getManifest();

            assertThat(manifest.getMainAttributes().getValue("Automatic-Module-Name"))
                    .isEqualTo("io.groupcast.client");
            assertThat(manifest.getMainAttributes().getValue("Implementation-Version"))
                    .isEqualTo(VERSION);
            assertThat(jar.getEntry("io/groupcast/client/version.properties")).isNotNull();
        }
        try (JarFile sources =
                new JarFile(TARGET.resolve(FINAL_NAME + "-sources.jar").toFile())) {
            assertThat(sources.getEntry("io/groupcast/client/GroupcastClient.java"))
                    .isNotNull();
        }
        try (JarFile javadoc =
                new JarFile(TARGET.resolve(FINAL_NAME + "-javadoc.jar").toFile())) {
            List<String> pages = javadoc.stream().map(JarEntry::getName).toList();

            assertThat(pages).anyMatch(page -> page.endsWith("io/groupcast/client/GroupcastClient.html"));
            assertThat(pages)
                    .as("package-private classes stay out")
                    .noneMatch(page -> page.endsWith("io/groupcast/client/Retries.html"));
        }
    }
}
