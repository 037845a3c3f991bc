package dev.vdrop.samples;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * vdrop's command line. With no command it runs the default job: the <i>Moby-Dick</i> language
 * model on the bundled text.
 */
@Command(name = "vdrop", mixinStandardHelpOptions = true, version = "vdrop 0.1.0",
        description = "Recurrent models with variational, weight and embedding dropout, generated at compile time.",
        subcommands = {DefaultJob.class, LmCommand.class, CompareCommand.class, ForecastCommand.class,
                ClassifyCommand.class, PredictCommand.class})
public final class Main implements Callable<Integer> {

    /**
     * Runs the command line and exits with its code: 0 done, 2 a user error, 1 a failure.
     *
     * @param args a command and its options; none runs the default job
     */
    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /**
     * Runs the command line and returns the exit code: 0 done, 2 a user error ({@link UserError}),
     * 1 a failure: a {@code TrainingException}, or an {@link OutOfMemoryError} anywhere in the
     * command, each as one line on {@code err}.
     */
    static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out).setErr(err);
        cli.setParameterExceptionHandler((e, ignored) -> {
            String command = e.getCommandLine().getCommandName();
            err.println("vdrop: " + e.getMessage() + " (see " + ("vdrop".equals(command) ? "" : "vdrop ") + command
                    + " --help)");
            return 2;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof UserError) {
                err.println("vdrop: " + e.getMessage());
                return 2;
            }
            if (e instanceof dev.vdrop.runtime.train.TrainingException) {
                err.println("vdrop: " + e.getMessage());
                return 1;
            }
            if (causedByOutOfMemory(e)) {
                err.println("vdrop: " + outOfMemory(args, Runtime.getRuntime().maxMemory()));
                return 1;
            }
            throw e;
        });
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError e) {
            // picocli passes Errors through; by now the command's data is unreachable and collectable
            err.println("vdrop: " + outOfMemory(args, Runtime.getRuntime().maxMemory()));
            return 1;
        }
    }

    /** The flags whose value is an input file, whose size an out-of-memory message states. */
    private static final List<String> INPUT_FLAGS = List.of("--corpus", "--csv", "--data", "--model");

    /** {@return whether an OutOfMemoryError is the exception or one of its causes (a worker thread's, wrapped)} */
    private static boolean causedByOutOfMemory(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof OutOfMemoryError) {
                return true;
            }
        }
        return false;
    }

    /**
     * The one-line message for a command that ran out of memory: the heap's limit, the input files
     * named on the command line with their sizes, and how to give the JVM more (the launcher reads
     * {@code VDROP_JAVA_OPTS}, default {@code -Xmx4g}); the suggested heap is at least twice the
     * limit and at least four times the inputs, in whole GB.
     *
     * @param args the command line
     * @param maxHeap the heap's limit in bytes, {@link Runtime#maxMemory()}
     */
    static String outOfMemory(String[] args, long maxHeap) {
        List<String> inputs = new ArrayList<>();
        long inputBytes = 0;
        for (int i = 0; i < args.length; i++) {
            String value = null;
            for (String flag : INPUT_FLAGS) {
                if (args[i].equals(flag) && i + 1 < args.length) {
                    value = args[i + 1];
                } else if (args[i].startsWith(flag + "=")) {
                    value = args[i].substring(flag.length() + 1);
                }
            }
            if (value != null) {
                try {
                    long size = Files.size(Path.of(value));
                    inputBytes += size;
                    inputs.add(value + " (" + megabytes(size) + ")");
                } catch (IOException | InvalidPathException e) {
                    // not a readable file: nothing to say about its size
                }
            }
        }
        long gigabyte = 1L << 30;
        long suggested = Math.max(2 * maxHeap, 4 * inputBytes);
        long suggestedGb = Math.max(1, (suggested + gigabyte - 1) / gigabyte);
        return "out of memory: this run needed more than the Java heap's limit of " + megabytes(maxHeap)
                + (inputs.isEmpty() ? "" : " for its input " + String.join(", ", inputs))
                + "; give the JVM more with VDROP_JAVA_OPTS, e.g. VDROP_JAVA_OPTS=-Xmx" + suggestedGb
                + "g ./vdrop ... (the launcher's default is -Xmx4g), or use a smaller input";
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%,.1f MB", bytes / (1024.0 * 1024.0));
    }

    @Override
    public Integer call() {
        return new DefaultJob().call();
    }
}
