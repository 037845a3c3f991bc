package dev.vdrop.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.launcher.JavaModuleOptions;
import org.junit.jupiter.api.Test;

/**
 * The launchers, read as scripts: {@code ./vdrop-spark} passes every JVM option Spark's own launcher
 * passes (and this test's JVM got them from the pom), and {@code ./vdrop}'s build leaves the spark
 * module out. The standalone cluster test runs {@code ./vdrop-spark} itself.
 */
class LauncherTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void vdropSparkPassesSparksJavaOptions() throws Exception {
        String launcher = Files.readString(ROOT.resolve("vdrop-spark"));
        List<String> jvm = ManagementFactory.getRuntimeMXBean().getInputArguments();
        for (String option : JavaModuleOptions.defaultModuleOptionArray()) {
            assertTrue(launcher.contains("\n  " + option + "\n"), "./vdrop-spark lacks " + option);
            assertTrue(jvm.contains(option), "the spark module's spark.java.options lack " + option);
        }
        assertTrue(launcher.contains("OMP_WAIT_POLICY=\"${OMP_WAIT_POLICY:-PASSIVE}\""));
        assertTrue(launcher.contains("mvn -B -Dstyle.color=never -pl processor,spark -am clean package"));
        assertTrue(Files.isExecutable(ROOT.resolve("vdrop-spark")));
    }

    @Test
    void vdropBuildsWithoutTheSparkModule() throws Exception {
        List<String> mvn = Files.readAllLines(ROOT.resolve("vdrop")).stream().filter(l -> l.contains("mvn ")).toList();
        assertEquals(1, mvn.size(), "one build command in ./vdrop: " + mvn);
        assertTrue(mvn.get(0).contains(" -pl processor,samples -am "), mvn.get(0));
        assertFalse(mvn.get(0).contains("spark"), mvn.get(0));
    }
}
