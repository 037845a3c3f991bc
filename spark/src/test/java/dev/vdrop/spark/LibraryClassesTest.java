package dev.vdrop.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * What an application that depends on {@code vdrop-spark} gets: the samples and picocli are
 * optional dependencies (for the command line and {@link SampleModels} only), so the library's
 * other classes must not use them, or an application with its own model would fail at run time
 * with a {@code NoClassDefFoundError}.
 */
class LibraryClassesTest {
    private static final List<String> OPTIONAL = List.of("vdrop-samples", "picocli");

    @Test
    void onlyTheCommandLineAndSampleModelsUseTheSamplesOrPicocli() throws IOException, URISyntaxException {
        Path classes = Path.of(McScorer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path library = classes.resolve("dev/vdrop/spark");
        assertTrue(Files.isDirectory(library), "the module's classes are a directory here: " + classes);
        List<String> offenders = new ArrayList<>();
        int checked = 0;
        try (Stream<Path> files = Files.walk(library)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = library.relativize(file).toString();
                if (name.startsWith("cli/") || name.startsWith("SampleModels")) {
                    continue;
                }
                checked++;
                // class names in the constant pool are plain ASCII bytes (internal form)
                String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                if (bytes.contains("dev/vdrop/samples/") || bytes.contains("picocli/")) {
                    offenders.add(name);
                }
            }
        }
        assertTrue(checked >= 20, "the library's classes were found: " + checked);
        assertEquals(List.of(), offenders, "library classes that use the samples or picocli (optional dependencies)");
    }

    @Test
    void theSamplesAndPicocliAreOptionalInThePublishedPom() throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(false);
        Document pom = factory.newDocumentBuilder().parse(Path.of("pom.xml").toFile());
        Element project = pom.getDocumentElement();
        assertEquals("vdrop-spark", childText(project, "artifactId"), "this module's pom");
        Element dependencies = (Element) project.getElementsByTagName("dependencies").item(0);
        NodeList list = dependencies.getElementsByTagName("dependency");
        List<String> optional = new ArrayList<>();
        List<String> required = new ArrayList<>();
        for (int i = 0; i < list.getLength(); i++) {
            Element dependency = (Element) list.item(i);
            if (dependency.getParentNode() != dependencies) {
                continue;
            }
            String artifact = childText(dependency, "artifactId");
            String scope = childText(dependency, "scope");
            boolean reachesAnApplication = scope == null || scope.equals("compile") || scope.equals("runtime");
            if (!reachesAnApplication) {
                continue;
            }
            ("true".equals(childText(dependency, "optional")) ? optional : required).add(artifact);
        }
        assertEquals(OPTIONAL, optional, "optional: only for the command line and SampleModels");
        assertEquals(List.of("vdrop-runtime", "jackson-databind"), required,
                "what an application gets: the runtime and Jackson at Spark's version");
    }

    private static String childText(Element parent, String tag) {
        NodeList children = parent.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element e && e.getTagName().equals(tag)) {
                return e.getTextContent().trim();
            }
        }
        return null;
    }
}
