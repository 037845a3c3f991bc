package dev.vdrop.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The process's memory from {@code /proc/self/status}, and the machine's load. */
final class Proc {
    private Proc() {}

    /** Peak resident set size (VmHWM) in MB, or NaN where /proc is missing. */
    static double peakRssMb() {
        return statusKb("VmHWM") / 1024.0;
    }

    /** Current resident set size (VmRSS) in MB. */
    static double rssMb() {
        return statusKb("VmRSS") / 1024.0;
    }

    private static double statusKb(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field + ":")) {
                    return Double.parseDouble(line.substring(field.length() + 1).replace("kB", "").trim());
                }
            }
        } catch (IOException | NumberFormatException e) {
            // fall through
        }
        return Double.NaN;
    }

    /** The 1-minute load average, to judge afterwards whether the machine was idle. */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** What the run saw of the machine and the JVM. */
    static Map<String, Object> environment() {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("cpus", Runtime.getRuntime().availableProcessors());
        env.put("load_1min_before", loadAverage());
        env.put("java", System.getProperty("java.version"));
        env.put("xmx_mb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        env.put("jvm_args", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        env.put("omp_wait_policy", String.valueOf(System.getenv("OMP_WAIT_POLICY")));
        env.put("omp_num_threads", String.valueOf(System.getenv("OMP_NUM_THREADS")));
        env.put("cpu_model", cpuModel());
        return env;
    }

    private static String cpuModel() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            for (String line : lines) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return "?";
    }
}
