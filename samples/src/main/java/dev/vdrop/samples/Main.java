package dev.vdrop.samples;

import java.io.PrintWriter;
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

    /** Runs the command line and returns the exit code: 0 done, 2 a user error, 1 a failure. */
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
            throw e;
        });
        return cli.execute(args);
    }

    @Override
    public Integer call() {
        return new DefaultJob().call();
    }
}
