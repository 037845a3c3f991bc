package dev.vdrop.samples;

import static dev.vdrop.samples.Cli.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vdrop.runtime.checkpoint.Checkpoints;
import dev.vdrop.runtime.io.DirectoryLock;
import dev.vdrop.runtime.io.OutputCheck;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing is lost through the command line: every output location is checked before any training
 * (read-only, below a file, full — injected through {@link Outputs}, and a real read-only mount
 * where the machine lets the test mount one), an earlier run's results or checkpoint are refused
 * unless {@code --overwrite}, a locked directory is refused with its holder's process id, a killed
 * run's temporary is removed, a failed write keeps the earlier file byte for byte, and a non-number
 * is JSON {@code null}. "No training happened" is shown by the missing {@code train.jsonl} (written
 * after the first epoch) or the missing results. Small settings: seconds per run.
 */
class OutputSafetyTest {
    @TempDir
    Path dir;

    @AfterEach
    void realDisk() {
        Outputs.check = OutputCheck.system();
        Outputs.streams = (file, out) -> out;
    }

    /** 200 days of a weekly pattern, as ForecastCommandTest's. */
    private Path csv() throws IOException {
        StringBuilder csv = new StringBuilder("day,births\n");
        for (int t = 0; t < 200; t++) {
            csv.append(t).append(',').append(String.format(Locale.ROOT, "%.1f",
                    1000 + 2 * t + 150 * Math.sin(2 * Math.PI * t / 7) + 30 * Math.sin(0.37 * t * t))).append('\n');
        }
        return Files.writeString(dir.resolve("small.csv"), csv);
    }

    private Cli forecast(Path out, String... more) throws IOException {
        List<String> args = new ArrayList<>(List.of("forecast", "--csv", csv().toString(), "--column", "births",
                "--window", "14", "--epochs", "2", "--mc-samples", "5", "--out", out.toString()));
        args.addAll(Arrays.asList(more));
        return run(args.toArray(String[]::new));
    }

    private Path tinyCorpus() throws IOException {
        return Files.writeString(dir.resolve("tiny.txt"), Resources.bundled(Resources.MOBY_DICK).substring(30_000, 50_000));
    }

    private static String oneLine(String err) {
        assertEquals(1, err.lines().count(), err);
        return err.strip();
    }

    private static List<String> temporaries(Path d) throws IOException {
        try (Stream<Path> files = Files.list(d)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList();
        }
    }

    /** A disk that answers for free space and refuses new files when read-only. */
    private static OutputCheck disk(long free, boolean readOnly) {
        return OutputCheck.on(new OutputCheck.Disk() {
            @Override
            public long usableSpace(Path directory) {
                return free;
            }

            @Override
            public void probeWrite(Path directory) throws IOException {
                if (readOnly) {
                    throw new IOException(directory + ": Read-only file system");
                }
            }
        });
    }

    /** A stream that takes 10 bytes, then fails as a full disk does. */
    private static OutputStream full(OutputStream out) {
        return new FilterOutputStream(out) {
            private int written;

            @Override
            public void write(int b) throws IOException {
                if (++written > 10) {
                    throw new IOException("No space left on device");
                }
                out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                for (int i = 0; i < len; i++) {
                    write(b[off + i]);
                }
            }
        };
    }

    @Test
    void forecastRefusesAnEarlierRunsResultsAndReplacesThemWithOverwrite() throws IOException {
        Path out = dir.resolve("fc");
        assertEquals(0, forecast(out).code());
        byte[] json = Files.readAllBytes(out.resolve("forecast.json"));

        Cli again = forecast(out);
        assertEquals(2, again.code());
        assertEquals("vdrop: --out " + out + " already holds the results of an earlier run (forecast.json, forecast.csv, "
                + "forecast.png, train.jsonl); give another --out, or --overwrite to replace them", oneLine(again.err()));
        assertArrayEquals(json, Files.readAllBytes(out.resolve("forecast.json")));

        assertEquals(0, forecast(out, "--overwrite").code());
        assertEquals(2, Files.readAllLines(out.resolve("train.jsonl")).size(), "a new train.jsonl, not appended to");
    }

    @Test
    void classifyAndCompareRefuseAnEarlierRunsResultsBeforeTraining() throws IOException {
        Path classify = Files.createDirectories(dir.resolve("cl"));
        Files.writeString(classify.resolve("model.vdrop"), "an earlier model");
        Cli cl = run("classify", "--epochs", "1", "--out", classify.toString(), "--no-progress");
        assertEquals(2, cl.code());
        assertEquals("vdrop: --out " + classify + " already holds the results of an earlier run (model.vdrop); give "
                + "another --out, or --overwrite to replace them", oneLine(cl.err()));
        assertFalse(Files.exists(classify.resolve("train.jsonl")));

        Path compare = Files.createDirectories(dir.resolve("cmp"));
        Files.writeString(compare.resolve("compare.md"), "| an earlier table |");
        Cli cmp = run("compare", "--corpus", tinyCorpus().toString(), "--schemes", "none", "--epochs", "1",
                "--mc-samples", "1", "--out", compare.toString(), "--no-progress");
        assertEquals(2, cmp.code());
        assertTrue(oneLine(cmp.err()).endsWith("(compare.md); give another --out, or --overwrite to replace them"), cmp.err());
        assertFalse(Files.exists(compare.resolve("compare.json")), "no scheme was trained");
    }

    @Test
    void aLockedOutputDirectoryIsRefusedWithTheHoldersProcessId() throws IOException {
        Path out = dir.resolve("fc");
        long pid = ProcessHandle.current().pid();
        try (DirectoryLock first = DirectoryLock.acquire(out)) {
            Cli r = forecast(out);
            assertEquals(2, r.code());
            assertEquals("vdrop: --out " + out + " is in use by another vdrop run (process " + pid + ", this very process); "
                    + "wait for it to finish, or use another directory", oneLine(r.err()));
            assertFalse(Files.exists(out.resolve("train.jsonl")), "no training");
            Cli cmp = run("compare", "--schemes", "none", "--epochs", "1", "--out", out.toString(), "--no-progress");
            assertEquals(2, cmp.code());
            assertTrue(cmp.err().contains("(process " + pid), cmp.err());
        }
        assertEquals(0, forecast(out).code(), "released by the first run");
    }

    /** A run still writing its results is named by its process id, not mistaken for an earlier run's results. */
    @Test
    void aRunStillWritingIsNamedByItsProcessIdNotTakenForEarlierResults() throws IOException {
        Path out = dir.resolve("live");
        Files.createDirectories(out);
        Files.writeString(out.resolve("train.jsonl"), "{\"epoch\":1}\n");
        try (DirectoryLock live = DirectoryLock.acquire(out)) {
            Cli r = forecast(out);
            assertEquals(2, r.code());
            assertTrue(oneLine(r.err()).contains("is in use by another vdrop run (process " + ProcessHandle.current().pid()),
                    r.err());
            assertEquals("{\"epoch\":1}\n", Files.readString(out.resolve("train.jsonl")), "the live run's file is untouched");
        }
        Cli after = forecast(out);
        assertEquals(2, after.code(), "once it has ended, its results are an earlier run's");
        assertTrue(oneLine(after.err()).contains("already holds the results of an earlier run (train.jsonl)"), after.err());
    }

    @Test
    void readOnlyBelowAFileAndFullLocationsAreRefusedBeforeTraining() throws IOException {
        Path corpus = tinyCorpus();
        Outputs.check = disk(Long.MAX_VALUE, true);
        Path out = dir.resolve("ro");
        Cli fc = forecast(out);
        assertEquals(2, fc.code());
        assertEquals("vdrop: --out: cannot write into " + out + " (" + out + ": Read-only file system)", oneLine(fc.err()));
        assertFalse(Files.exists(out.resolve("train.jsonl")));
        Cli lm = run("lm", "--corpus", corpus.toString(), "--epochs", "1", "--mc-samples", "1", "--out",
                out.resolve("lm.json").toString(), "--no-progress");
        assertEquals(2, lm.code());
        assertTrue(oneLine(lm.err()).startsWith("vdrop: --out: cannot write into " + out), lm.err());
        Cli cl = run("classify", "--epochs", "1", "--out", out.toString(), "--no-progress");
        assertEquals(2, cl.code());
        assertTrue(cl.err().contains("Read-only file system"), cl.err());
        Cli cmp = run("compare", "--corpus", corpus.toString(), "--schemes", "none", "--epochs", "1", "--out",
                out.toString(), "--no-progress");
        assertEquals(2, cmp.code());
        assertTrue(cmp.err().contains("Read-only file system"), cmp.err());

        Outputs.check = disk(250_000, false);
        Cli full = forecast(dir.resolve("full"));
        assertEquals(2, full.code());
        assertEquals("vdrop: --out: " + dir.resolve("full") + " has 0.3 MB free, but this run writes about 1.0 MB there "
                + "(its reports and plot take well under 1 MB); free some space or use another place", oneLine(full.err()));
        assertFalse(Files.exists(dir.resolve("full/train.jsonl")));

        Outputs.check = OutputCheck.system();
        Path file = Files.writeString(dir.resolve("notes.txt"), "x");
        Cli below = forecast(file.resolve("out"));
        assertEquals(2, below.code());
        assertEquals("vdrop: --out: " + file.resolve("out") + " is below " + file + ", which is a file, not a directory",
                oneLine(below.err()));
        Cli lmBelow = run("lm", "--corpus", corpus.toString(), "--epochs", "1", "--out", dir.resolve("lm.json").toString(),
                "--checkpoint", file.resolve("ck").toString(), "--no-progress");
        assertEquals(2, lmBelow.code());
        assertTrue(oneLine(lmBelow.err()).startsWith("vdrop: --checkpoint: "), lmBelow.err());
        assertFalse(Files.exists(dir.resolve("lm.json")));
    }

    /** A real read-only file system: a tmpfs remounted read-only, where the machine lets the test mount one. */
    @Test
    void aRealReadOnlyMountIsRefusedBeforeTraining() throws Exception {
        Path mount = Files.createDirectory(dir.resolve("mnt"));
        assumeTrue(command("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mount.toString()), "cannot mount a tmpfs here");
        try {
            assumeTrue(command("mount", "-o", "remount,ro", mount.toString()), "cannot remount read-only");
            Cli r = forecast(mount);
            assertEquals(2, r.code());
            assertTrue(oneLine(r.err()).startsWith("vdrop: --out: cannot write into " + mount), r.err());
        } finally {
            command("umount", mount.toString());
        }
    }

    private static boolean command(String... args) throws IOException, InterruptedException {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return false;
        }
        Process p = new ProcessBuilder(args).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    @Test
    void lmRefusesToReplaceAnEarlierCheckpointOrResultUnlessOverwrite() throws Exception {
        Path corpus = tinyCorpus();
        Path ck = Files.createDirectories(dir.resolve("ck"));
        Path file = Files.writeString(ck.resolve("checkpoint.vdrop"), "an earlier run's checkpoint");
        Path out = dir.resolve("lm.json");
        String[] args = {"lm", "--corpus", corpus.toString(), "--scheme", "none", "--epochs", "1", "--mc-samples", "1",
            "--out", out.toString(), "--checkpoint", ck.toString(), "--no-progress"};
        Cli refused = run(args);
        assertEquals(2, refused.code());
        assertEquals("vdrop: --checkpoint " + ck + " holds the checkpoint of an earlier run; continue it with --resume " + ck
                + ", replace it with --overwrite, or give another --checkpoint", oneLine(refused.err()));
        assertEquals("an earlier run's checkpoint", Files.readString(file));
        assertFalse(Files.exists(out), "no training");

        List<String> overwrite = new ArrayList<>(Arrays.asList(args));
        overwrite.add("--overwrite");
        assertEquals(0, run(overwrite.toArray(String[]::new)).code());
        assertEquals(1, Checkpoints.load(file).requireLong("epoch"), "replaced on purpose by the new run's epoch 1");

        byte[] results = Files.readAllBytes(out);
        Cli again = run("lm", "--corpus", corpus.toString(), "--scheme", "none", "--epochs", "1", "--out", out.toString(),
                "--checkpoint", dir.resolve("ck2").toString(), "--no-progress");
        assertEquals(2, again.code());
        assertEquals("vdrop: --out " + out + " already exists; give another --out, or --overwrite to replace it",
                oneLine(again.err()));
        assertArrayEquals(results, Files.readAllBytes(out));
        assertFalse(Files.exists(dir.resolve("ck2/checkpoint.vdrop")), "no training");

        try (DirectoryLock held = DirectoryLock.acquire(ck)) {
            Cli locked = run("lm", "--corpus", corpus.toString(), "--epochs", "1", "--out", dir.resolve("other.json").toString(),
                    "--resume", ck.toString(), "--checkpoint", ck.toString(), "--no-progress");
            assertEquals(2, locked.code());
            assertTrue(oneLine(locked.err()).contains("is in use by another vdrop run (process "
                    + ProcessHandle.current().pid()), locked.err());
        }
    }

    @Test
    void theTemporaryOfAKilledRunIsRemovedByTheNextRunHoldingTheLock() throws IOException {
        Path out = Files.createDirectories(dir.resolve("fc"));
        Path stale = Files.write(out.resolve(".forecast.png.7f3a09c2.tmp"), new byte[1000]);
        assertEquals(0, forecast(out).code());
        assertFalse(Files.exists(stale));
        assertEquals(List.of(), temporaries(out));
    }

    @Test
    void aFailedWriteKeepsTheEarlierJsonCsvAndPngByteForByte() throws IOException {
        Path out = dir.resolve("fc");
        assertEquals(0, forecast(out).code());
        for (String name : List.of("forecast.json", "forecast.csv", "forecast.png")) {
            byte[] before = Files.readAllBytes(out.resolve(name));
            Outputs.streams = (file, stream) -> file.getFileName().toString().equals(name) ? full(stream) : stream;
            Cli r = forecast(out, "--overwrite");
            assertEquals(2, r.code(), name);
            assertTrue(oneLine(r.err()).startsWith("vdrop: cannot write " + out.resolve(name) + ": "), r.err());
            assertTrue(r.err().contains("No space left on device"), r.err()); // the PNG writer's own message wraps it
            assertArrayEquals(before, Files.readAllBytes(out.resolve(name)), name);
            assertEquals(List.of(), temporaries(out), name);
        }
    }

    @Test
    void aFailedWriteOfAReportTableOrPlotKeepsTheEarlierFile() throws IOException {
        Path json = Files.writeString(dir.resolve("lm.json"), "{\"valid_ppl\": 1}");
        Path md = Files.writeString(dir.resolve("compare.md"), "| earlier |");
        Path png = Files.write(dir.resolve("validation.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
        Outputs.streams = (file, stream) -> full(stream);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("scheme", "none");
        report.put("valid_ppl", 2.0);
        report.put("test_ppl", 2.0);
        report.put("valid_ppl_mc", 2.0);
        report.put("test_ppl_mc", 2.0);
        report.put("best_valid_ppl", 2.0);
        report.put("best_epoch", 1);
        report.put("train_tokens_per_second", 1.0);
        report.put("history", List.of(Map.of("epoch", 1, "valid_ppl", 2.0)));
        UserError j = assertThrows(UserError.class, () -> Json.write(json, report));
        assertTrue(j.getMessage().contains("No space left on device"), j.getMessage());
        assertThrows(UserError.class, () -> CompareCommand.writeTable(md, Cell.LSTM, List.of(report)));
        assertThrows(UserError.class, () -> CompareCommand.writePlot(png, Cell.LSTM, List.of(report)));
        assertEquals("{\"valid_ppl\": 1}", Files.readString(json));
        assertEquals("| earlier |", Files.readString(md));
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Files.readAllBytes(png));
        assertEquals(List.of(), temporaries(dir));
    }

    @Test
    void aNonNumberIsJsonNull() throws IOException {
        Path file = dir.resolve("report.json");
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("train_tokens_per_second", LmExperiment.median(new double[0]));
        report.put("rmse", Double.POSITIVE_INFINITY);
        report.put("valid_ppl", 3.5);
        Json.write(file, report);
        String text = Files.readString(file, StandardCharsets.UTF_8);
        assertFalse(text.contains("NaN") || text.contains("Infinity"), text);
        JsonNode json = new ObjectMapper().readTree(text);
        assertTrue(json.get("train_tokens_per_second").isNull(), text);
        assertTrue(json.get("rmse").isNull(), text);
        assertEquals(3.5, json.get("valid_ppl").asDouble(), 0.0);
    }

    /** The default job owns its directory: run twice, its forecast replaces its own results. */
    @Test
    void theDefaultJobsForecastRunsTwiceIntoTheSameDirectory() throws IOException {
        Path out = dir.resolve("vdrop-out");
        List<String> args = new ArrayList<>(List.of("forecast"));
        args.addAll(Arrays.asList(DefaultJob.forecastArgs(out, 1)));
        args.addAll(List.of("--csv", csv().toString(), "--epochs", "1", "--mc-samples", "2"));
        assertEquals(0, run(args.toArray(String[]::new)).code());
        Cli second = run(args.toArray(String[]::new));
        assertEquals(0, second.code(), second.err());
        assertEquals(1, Files.readAllLines(out.resolve("train.jsonl")).size());
    }
}
