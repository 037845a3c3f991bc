package dev.vdrop.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shaded application jar: vdrop with the samples' models and ND4J with the linux-x86_64
 * natives only, Jackson relocated, nothing of Spark's own (Spark, Scala, SLF4J), and no Kotlin.
 */
class ShadedJarIT {
    private static List<String> entries;
    private static String mainClass;

    @BeforeAll
    static void read() throws Exception {
        try (JarFile jar = new JarFile(Path.of(System.getProperty("vdrop.spark.shadedJar")).toFile())) {
            entries = Collections.list(jar.entries()).stream().map(ZipEntry::getName).toList();
            mainClass = jar.getManifest().getMainAttributes().getValue("Main-Class");
        }
    }

    private static List<String> startingWith(String prefix) {
        return entries.stream().filter(e -> e.startsWith(prefix)).toList();
    }

    @Test
    void hasNoKotlin() {
        assertEquals(List.of(), startingWith("kotlin/"));
        assertEquals(List.of(), entries.stream().filter(e -> e.endsWith(".kotlin_module")).toList());
    }

    @Test
    void hasVdropItsModelsAndTheLinuxNatives() {
        assertEquals("dev.vdrop.spark.cli.Main", mainClass);
        for (String entry : List.of("dev/vdrop/spark/McScorer.class", "dev/vdrop/runtime/eval/McPredictor.class",
                "dev/vdrop/samples/TextClassifierNetwork.class", "dev/vdrop/samples/data/names/female.txt",
                "dev/vdrop/samples/data/moby-dick.txt", "dev/vdrop/samples/MobyDickLmNetwork.class",
                "org/nd4j/linalg/cpu/nativecpu/bindings/linux-x86_64/libnd4jcpu.so",
                "org/bytedeco/openblas/linux-x86_64/libopenblas.so.0", "META-INF/services/org.nd4j.linalg.factory.Nd4jBackend",
                "dev/vdrop/spark/cli/log4j2.properties",
                // JavaCPP compares the natives' versions with these, and warns when it finds none
                "META-INF/maven/org.bytedeco/openblas/pom.properties", "META-INF/maven/org.bytedeco/javacpp/pom.properties")) {
            assertTrue(entries.contains(entry), entry);
        }
        // ND4J's and OpenBLAS's native libraries: Linux x86-64's, no other platform's
        List<String> natives = entries.stream().filter(e -> e.startsWith("org/nd4j/") || e.startsWith("org/bytedeco/"))
                .filter(e -> e.matches(".*\\.(so(\\.[0-9]+)*|dll|dylib|jnilib)$")).toList();
        assertTrue(natives.size() >= 5, natives.toString());
        assertEquals(List.of(), natives.stream().filter(e -> !e.contains("/linux-x86_64/")).toList());
    }

    @Test
    void relocatesJacksonAndLeavesSparksOwnOut() {
        assertEquals(List.of(), startingWith("com/fasterxml/"));
        assertTrue(entries.contains("dev/vdrop/spark/shaded/jackson/databind/ObjectMapper.class"));
        assertTrue(entries.contains("META-INF/services/dev.vdrop.spark.shaded.jackson.core.JsonFactory"));
        for (String prefix : List.of("org/apache/spark/", "scala/", "org/slf4j/", "org/apache/logging/log4j/",
                "org/apache/hadoop/", "META-INF/versions/")) {
            assertEquals(List.of(), startingWith(prefix), prefix);
        }
    }
}
