package dev.vdrop.samples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

/**
 * One run of the command line in the test's JVM, through {@link Main#run} as {@code main} calls it:
 * the exit code and everything printed on standard output and standard error.
 */
record Cli(int code, String out, String err) {
    static Cli run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Cli(code, out.toString(), err.toString());
    }

    /**
     * As {@link #run}, with what the command prints on {@code System.out} too, before its writer's
     * output: {@code lm} and {@code compare} log their runs there rather than on picocli's writer.
     */
    static Cli console(String... args) {
        PrintStream stdout = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            Cli r = run(args);
            return new Cli(r.code(), printed.toString(StandardCharsets.UTF_8) + r.out(), r.err());
        } finally {
            System.setOut(stdout);
        }
    }
}
