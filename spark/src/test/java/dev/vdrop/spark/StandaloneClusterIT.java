package dev.vdrop.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdrop.runtime.mc.ClassPrediction;
import dev.vdrop.runtime.model.Tokenization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.launcher.JavaModuleOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Spark cluster on this machine: Spark's standalone {@code Master} and two {@code Worker}s of
 * one core each, separate JVMs on 127.0.0.1 with ephemeral ports, started from the jars Maven
 * brought (Spark's classpath only: vdrop reaches the executors in the shaded jar). {@code ./vdrop-spark
 * score} runs a job through them; its rows equal the library's MC prediction in this JVM. Then
 * {@code ./vdrop-spark classify} trains the names classifier on a slice of the names with two
 * workers, one barrier task on each. Every process is stopped afterwards, whatever happened.
 */
class StandaloneClusterIT {
    private static final Path ROOT = Path.of(System.getProperty("vdrop.root")).toAbsolutePath().normalize();
    private static final Duration START = Duration.ofSeconds(60);
    private static final int ROWS = 300;
    private static final int K = 8;
    private static final long SEED = 5;

    @TempDir
    Path dir;
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stopAll() throws InterruptedException {
        // the executors are the workers' children: end them first, then the workers and the master
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroy);
        }
        for (int i = processes.size() - 1; i >= 0; i--) {
            Process p = processes.get(i);
            p.destroy();
            if (!p.waitFor(15, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    @Timeout(value = 230, unit = TimeUnit.SECONDS)
    void scoresAndTrainsThroughAMasterAndTwoWorkers() throws Exception {
        Path model = TestData.classifier(dir.resolve("model.vdrop"), Tokenization.CHARS);
        List<String> names = TestData.names(ROWS);
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            rows.add(List.of(names.get(i), i % 2 == 0 ? "f" : "m"));
        }
        Path data = TestData.tsv(dir.resolve("names.tsv"), List.of("text", "note"), rows);

        Map<String, String> env = sparkEnvironment();
        Process master = start("master", env, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", "0",
                "--webui-port", "0");
        String url = waitFor(master, "master", Pattern.compile("Starting Spark master at (spark://[0-9.:]+)")).group(1);
        for (String worker : List.of("worker1", "worker2")) {
            Files.createDirectories(dir.resolve(worker));
            start(worker, env, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--port", "0",
                    "--webui-port", "0", "--cores", "1", "--memory", "1536m", "--work-dir", dir.resolve(worker).toString(), url);
        }
        for (int i = 1; i <= 2; i++) {
            waitFor(processes.get(i), "worker" + i, Pattern.compile("Successfully registered with master"));
        }

        Path out = dir.resolve("scored");
        ProcessBuilder score = new ProcessBuilder(ROOT.resolve("vdrop-spark").toString(), "score", "--master", url,
                "--model", model.toString(), "--data", data.toString(), "--out", out.toString(), "--mc-samples",
                Integer.toString(K), "--seed", Long.toString(SEED), "--batch", "32", "--partitions", "4",
                "--conf", "spark.executor.memory=1g", "--conf", "spark.ui.enabled=false");
        score.environment().putAll(env);
        score.environment().put("VDROP_SPARK_BUILD", "never");
        score.environment().put("VDROP_SPARK_JAVA_OPTS", "-Xmx768m");
        score.redirectErrorStream(true).redirectOutput(dir.resolve("driver.log").toFile());
        Process driver = score.start();
        processes.add(driver);
        assertTrue(driver.waitFor(120, TimeUnit.SECONDS), "the job did not end in 120 s:\n" + tail("driver"));
        assertEquals(0, driver.exitValue(), tail("driver"));
        String log = Files.readString(dir.resolve("driver.log"));
        assertTrue(log.contains("scored " + ROWS + " rows with K = " + K), tail("driver"));
        log.lines().filter(l -> l.startsWith("vdrop-spark: ")).forEach(System.out::println);

        for (String worker : List.of("worker1", "worker2")) {
            try (Stream<Path> apps = Files.list(dir.resolve(worker))) {
                assertTrue(apps.anyMatch(a -> a.getFileName().toString().startsWith("app-")), worker + " ran no executor");
            }
        }

        Map<Long, String[]> scored = readCsv(out);
        assertEquals(ROWS, scored.size());
        long[] lines = new long[ROWS];
        for (int i = 0; i < ROWS; i++) {
            lines[i] = i + 2;
        }
        List<ClassPrediction> expected = TestData.reference(model, names, K, SEED, lines);
        for (int i = 0; i < ROWS; i++) {
            String[] r = scored.get(i + 2L);
            assertEquals(names.get(i), r[1]);
            ClassPrediction p = expected.get(i);
            assertEquals(TestData.LABELS.get(p.argmax()), r[3], "row " + i);
            assertEquals(p.predictiveEntropy(), Double.parseDouble(r[5]), 1e-5, "row " + i);
            assertEquals(p.mutualInformation(), Double.parseDouble(r[6]), 1e-5, "row " + i);
            for (int c = 0; c < TestData.LABELS.size(); c++) {
                assertEquals(p.probability(c), Double.parseDouble(r[7 + c]), 1e-5, "row " + i + ", class " + c);
            }
            assertEquals("", r[10], "row " + i);
        }

        // two replicas, one per worker: 1 epoch on 601 names (481 to train: 240 each, 1 left out), 8 steps averaging after every second (4 samples of the exchange's latency, printed)
        List<String> labelled = TestData.names(601);
        List<List<String>> examples = new ArrayList<>();
        for (int i = 0; i < labelled.size(); i++) {
            examples.add(List.of(i % 2 == 0 ? "female" : "male", labelled.get(i)));
        }
        Path names601 = TestData.tsv(dir.resolve("labelled.tsv"), List.of("label", "text"), examples);
        Path trained = dir.resolve("trained");
        ProcessBuilder classify = new ProcessBuilder(ROOT.resolve("vdrop-spark").toString(), "classify", "--master", url,
                "--workers", "2", "--average-every", "2", "--data", names601.toString(), "--epochs", "1",
                "--mc-samples", "2", "--no-progress", "--out", trained.toString(),
                "--conf", "spark.executor.memory=1g", "--conf", "spark.ui.enabled=false");
        classify.environment().putAll(env);
        classify.environment().put("VDROP_SPARK_BUILD", "never");
        classify.environment().put("VDROP_SPARK_JAVA_OPTS", "-Xmx768m");
        classify.redirectErrorStream(true).redirectOutput(dir.resolve("train.log").toFile());
        Process training = classify.start();
        processes.add(training);
        assertTrue(training.waitFor(100, TimeUnit.SECONDS), "the training did not end in 100 s:\n" + tail("train"));
        assertEquals(0, training.exitValue(), tail("train"));
        String trainLog = Files.readString(dir.resolve("train.log"));
        assertTrue(trainLog.contains("spark: 2 workers of 240 examples (1 left out), averaging every 2 steps: 4 rounds"
                + " per worker"), tail("train"));
        trainLog.lines().filter(l -> l.startsWith("spark: ") || l.contains("valid loss")).forEach(System.out::println);
        assertTrue(Files.exists(trained.resolve("model.vdrop")));
    }

    /**
     * The environment of Spark's processes: a Spark home whose {@code jars} directory is empty,
     * with the jars Maven brought as its distribution's class path (the workers launch executors
     * with it), loopback only.
     */
    private Map<String, String> sparkEnvironment() throws IOException {
        Path home = Files.createDirectories(dir.resolve("spark-home/jars"));
        Map<String, String> env = new HashMap<>();
        env.put("SPARK_HOME", home.getParent().toString());
        env.put("SPARK_SCALA_VERSION", "2.13");
        env.put("SPARK_DIST_CLASSPATH", sparkClasspath());
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        env.put("OMP_WAIT_POLICY", "PASSIVE");
        return env;
    }

    private static String sparkClasspath() throws IOException {
        String classpath = Files.readString(Path.of(System.getProperty("vdrop.spark.classpath"))).strip();
        assertFalse(classpath.contains("/dev/vdrop/") || classpath.contains("/org/nd4j/"), "vdrop is not Spark's: " + classpath);
        return classpath;
    }

    private Process start(String name, Map<String, String> env, String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m"));
        command.addAll(List.of(JavaModuleOptions.defaultModuleOptionArray()));
        command.addAll(List.of("-cp", sparkClasspath(), mainClass));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        builder.environment().putAll(env);
        Process p = builder.start();
        processes.add(p);
        return p;
    }

    /** Waits until a process's log has a line matching the pattern. */
    private Matcher waitFor(Process p, String name, Pattern pattern) throws Exception {
        long deadline = System.nanoTime() + START.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = pattern.matcher(Files.readString(dir.resolve(name + ".log")));
            if (m.find()) {
                return m;
            }
            if (!p.isAlive()) {
                throw new AssertionError(name + " ended with " + p.exitValue() + ":\n" + tail(name));
            }
            Thread.sleep(200);
        }
        throw new AssertionError(name + " did not log " + pattern + " in " + START.toSeconds() + " s:\n" + tail(name));
    }

    private String tail(String name) throws IOException {
        List<String> lines = Files.readAllLines(dir.resolve(name + ".log"), StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    /** The CSV part files' rows by line number (names need no quoting: none has a comma or quote). */
    private static Map<Long, String[]> readCsv(Path out) throws IOException {
        Map<Long, String[]> rows = new HashMap<>();
        List<Path> parts;
        try (Stream<Path> files = Files.list(out)) {
            parts = files.filter(f -> f.getFileName().toString().startsWith("part-")).toList();
        }
        for (Path part : parts) {
            List<String> lines = Files.readAllLines(part, StandardCharsets.UTF_8);
            assertEquals("line,text,note,predicted,p_predicted,entropy,mutual_information,p_female,p_male,p_both,error",
                    lines.get(0));
            for (String line : lines.subList(1, lines.size())) {
                assertFalse(line.contains("\""), line);
                String[] fields = line.split(",", -1);
                rows.put(Long.parseLong(fields[0]), fields);
            }
        }
        return rows;
    }
}
