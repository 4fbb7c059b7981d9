package org.mlskit.cli;

import java.io.PrintStream;
import java.util.Arrays;

/** The JVM commands of {@code bin/mlskit}; {@code vectors} and {@code fuzz}. */
public final class Main {
    /** Exit status: every entry passed. */
    public static final int OK = 0;
    /** Exit status: an entry failed, or the file had no entry to verify. */
    public static final int FAILED = 1;
    /** Exit status: bad command line or unknown vector type. */
    public static final int USAGE = 2;
    /** Exit status: the file cannot be read or is not a JSON array of objects. */
    public static final int BAD_FILE = 3;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command line: the report on {@code out}, errors on {@code err}; returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        String cmd = args.length == 0 ? "" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        switch (cmd) {
            case "vectors":
                return VectorsCommand.run(rest, out, err);
            case "fuzz":
                return FuzzCommand.run(rest, out, err);
            case "-h":
            case "--help":
                out.println(VectorsCommand.USAGE);
                out.println(FuzzCommand.USAGE);
                return OK;
            default:
                err.println("mlskit: unknown command '" + cmd + "'");
                err.println(VectorsCommand.USAGE);
                return USAGE;
        }
    }
}
