package org.mlskit.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;

import com.google.gson.JsonElement;
import com.google.gson.JsonSyntaxException;

import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.crypto.SecureRandomSource;
import org.mlskit.vectors.TestVectors;
import org.mlskit.vectors.VectorReport;

/**
 * {@code vectors verify --type TYPE FILE}: checks every entry of a file in one of the MLS working
 * group's test-vector formats with {@link TestVectors}, and prints the {@link VectorReport}: the
 * counts per cipher suite, each failure with its entry index and reason, and last the line
 * {@code N passed, M failed}.
 */
final class VectorsCommand {
    static final String USAGE = "usage: bin/mlskit vectors verify --type TYPE FILE\n"
            + "  verifies every entry of FILE, a JSON array in the official MLS test-vector format TYPE\n"
            + "  TYPE: " + String.join(", ", TestVectors.TYPES) + "\n"
            + "  exit status: 0 every entry passed; 1 an entry failed or FILE has no entry;\n"
            + "               2 bad command line or unknown TYPE; 3 FILE unreadable or not a JSON array of objects";

    private VectorsCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 1 && (args[0].equals("-h") || args[0].equals("--help"))) {
            out.println(USAGE);
            return Main.OK;
        }
        if (args.length == 0 || !args[0].equals("verify")) {
            return usage(err, args.length == 0 ? "missing subcommand" : "unknown subcommand '" + args[0] + "'");
        }
        String type = null;
        String file = null;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                out.println(USAGE);
                return Main.OK;
            } else if (a.equals("--type") || a.startsWith("--type=")) {
                if (type != null) {
                    return usage(err, "--type given twice");
                }
                if (a.equals("--type") && ++i == args.length) {
                    return usage(err, "--type needs a value");
                }
                type = a.equals("--type") ? args[i] : a.substring("--type=".length());
            } else if (a.startsWith("-")) {
                return usage(err, "unknown option '" + a + "'");
            } else if (file != null) {
                return usage(err, "one FILE only (got '" + file + "' and '" + a + "')");
            } else {
                file = a;
            }
        }
        if (type == null) {
            return usage(err, "missing --type TYPE");
        }
        if (file == null) {
            return usage(err, "missing FILE");
        }
        if (!Arrays.asList(TestVectors.TYPES).contains(type)) {
            err.println("mlskit: unknown test-vector type '" + type + "'; known: " + String.join(", ", TestVectors.TYPES));
            return Main.USAGE;
        }
        return verify(type, file, out, err);
    }

    private static int usage(PrintStream err, String problem) {
        err.println("mlskit: " + problem);
        err.println(USAGE);
        return Main.USAGE;
    }

    private static int verify(String type, String file, PrintStream out, PrintStream err) {
        JsonElement root;
        Path path = Paths.get(file);
        try (Reader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            root = GsonJson.parse(in);
        } catch (NoSuchFileException e) {
            return badFile(err, file, "no such file");
        } catch (AccessDeniedException e) {
            return badFile(err, file, "permission denied");
        } catch (CharacterCodingException e) {
            return badFile(err, file, "not UTF-8 text");
        } catch (IOException e) {
            return badFile(err, file, "cannot read it: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        } catch (JsonSyntaxException e) {
            return badFile(err, file, "not valid JSON: " + e.getMessage());
        }
        if (!root.isJsonArray()) {
            return badFile(err, file, "expected a JSON array of test vectors, got "
                    + (root.isJsonNull() ? "null or nothing" : root.isJsonObject() ? "an object" : "a " + root));
        }
        for (int i = 0; i < root.getAsJsonArray().size(); i++) {
            if (!root.getAsJsonArray().get(i).isJsonObject()) {
                return badFile(err, file, "entry " + i + " is not a JSON object");
            }
        }
        VectorReport report;
        try {
            report = TestVectors.verify(type, GsonJson.wrap(root), new SecureRandomSource());
        } catch (MlsException e) {
            if (e.code() == ErrorCode.UNSUPPORTED) { // a type in TYPES that this build cannot check yet
                err.println("mlskit: " + e.getMessage());
                return Main.USAGE;
            }
            return badFile(err, file, e.getMessage());
        } catch (RuntimeException e) { // outside any entry's check: the file's shape (e.g. cipher_suite not a number)
            return badFile(err, file, "malformed test vectors: " + e);
        }
        out.println(report.summary());
        if (report.passed() + report.failed() == 0) {
            err.println("mlskit: " + file + " has no entries: nothing was verified");
            return Main.FAILED;
        }
        return report.failed() == 0 ? Main.OK : Main.FAILED;
    }

    private static int badFile(PrintStream err, String file, String why) {
        err.println("mlskit: " + file + ": " + why);
        return Main.BAD_FILE;
    }
}
