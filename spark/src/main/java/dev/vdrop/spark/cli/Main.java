package dev.vdrop.spark.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** vdrop's command line on Apache Spark. */
@Command(name = "vdrop-spark", mixinStandardHelpOptions = true, version = "vdrop-spark 0.1.0",
        description = "vdrop on Apache Spark: MC-dropout scoring of large data sets, data-parallel training.",
        subcommands = {ScoreCommand.class, ClassifyOnSparkCommand.class, LmOnSparkCommand.class, LocalScoreCommand.class,
                CompareScoresCommand.class})
public final class Main implements Callable<Integer> {
    @Spec
    CommandSpec spec;


    /**
     * Runs the command line and exits with its code: 0 done, 2 a user error, 1 a failure.
     *
     * @param args a command and its options
     */
    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /**
     * Runs the command line and returns the exit code: 0 done, 2 a user error (one line on
     * {@code err}), 1 a failure.
     */
    static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out).setErr(err);
        cli.setParameterExceptionHandler((e, ignored) -> {
            err.println("vdrop-spark: " + e.getMessage() + " (see vdrop-spark " + e.getCommandLine().getCommandName()
                    + " --help)");
            return 2;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof UserError || e instanceof dev.vdrop.samples.UserError) {
                err.println("vdrop-spark: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return cli.execute(args);
    }

    /** With no command: the usage, and exit code 2. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }
}
