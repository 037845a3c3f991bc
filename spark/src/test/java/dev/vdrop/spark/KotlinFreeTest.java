package dev.vdrop.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * No Kotlin library on the spark module's classpath, Spark's included (a transitive dependency
 * that brings one must exclude it). The shaded jar's entries are checked by {@code ShadedJarIT}.
 */
class KotlinFreeTest {
    @Test
    void noKotlinJarOnTheTestClasspath() {
        // Surefire may run the tests through a manifest-only jar; it names the real class path here.
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> entries = Arrays.asList(classpath.split(File.pathSeparator));
        assertEquals(true, entries.stream().anyMatch(e -> e.contains("spark-core_")), "Spark is on it: " + classpath);
        List<String> kotlin = entries.stream().filter(e -> new File(e).getName().toLowerCase(Locale.ROOT).contains("kotlin")
                || e.contains("/org/jetbrains/kotlin/")).toList();
        assertEquals(List.of(), kotlin);
    }
}
