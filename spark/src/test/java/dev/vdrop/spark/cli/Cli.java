package dev.vdrop.spark.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * A {@code vdrop-spark} command line run in this JVM ({@link Main#run}), what it printed and its exit code.
 *
 * @param code the exit code
 * @param out standard output
 * @param err standard error
 */
record Cli(int code, String out, String err) {
    /** {@return the run of {@code args}} */
    static Cli run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Cli(code, out.toString(), err.toString());
    }
}
