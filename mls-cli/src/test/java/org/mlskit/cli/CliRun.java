package org.mlskit.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;

/** One run of {@link Main#run} with its exit status and what it printed. */
record CliRun(int status, String out, String err) {

    static CliRun of(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = Main.run(args, o, e);
        }
        return new CliRun(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** {@code vectors verify --type TYPE FILE}. */
    static CliRun verify(String type, Path file) {
        return of("vectors", "verify", "--type", type, file.toString());
    }

    /** The official vector files (mls-core's test resources; the POM passes their directory). */
    static Path officialDir() {
        String dir = System.getProperty("mlskit.vectors.dir", "../mls-core/src/test/resources/vectors/mls");
        return Paths.get(dir);
    }

    String[] outLines() {
        return out.split("\\R");
    }

    String lastLine() {
        String[] lines = outLines();
        return lines[lines.length - 1];
    }

    @Override
    public String toString() {
        return "exit " + status + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
