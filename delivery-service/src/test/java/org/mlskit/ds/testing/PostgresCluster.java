package org.mlskit.ds.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * A throwaway PostgreSQL cluster on 127.0.0.1 for tests, started through {@code scripts/pg-cluster.sh}.
 *
 * <p>Use the static singleton: {@link #shared()} starts one cluster per test JVM (in
 * {@code delivery-service/target/pg-cluster-<random>}) the first time it is called, and every later
 * call returns it; each test class then takes its own database with {@link #newDatabase(String)}, so
 * no class sees another's rows. The cluster stops and its directory is removed at JVM exit (a
 * shutdown hook), on {@link #close()}, or, if the JVM is killed, by the script's watcher once this
 * process is gone.
 *
 * <p>When PostgreSQL cannot be installed or started, {@link #shared()} throws
 * {@link IllegalStateException} carrying the script's output, so the tests fail rather than skip;
 * later calls in the same JVM fail at once with the same message.
 *
 * <p>System properties: {@code mlskit.pg.script} (path of pg-cluster.sh, found from the repository
 * root otherwise), {@code mlskit.pg.startTimeoutSeconds} (default 600: a first start may install
 * Debian's postgresql).
 */
public final class PostgresCluster implements AutoCloseable {
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,40}");
    private static final String JDBC_LINE = "PG_JDBC_URL=";

    private static PostgresCluster shared;
    private static IllegalStateException sharedFailure;

    private final Path script;
    private final Path directory;
    private final Map<String, String> env;
    private final String jdbcUrl;
    private final int port;
    private final AtomicInteger databases = new AtomicInteger();
    private final Thread shutdownHook;
    private boolean closed;

    private PostgresCluster(Path script, Path directory, Map<String, String> env, String jdbcUrl) {
        this.script = script;
        this.directory = directory;
        this.env = env;
        this.jdbcUrl = jdbcUrl;
        this.port = portOf(jdbcUrl);
        this.shutdownHook = new Thread(this::stopAtExit, "pg-cluster-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** The cluster of this JVM, started on first use. */
    public static synchronized PostgresCluster shared() {
        if (sharedFailure != null) {
            throw new IllegalStateException(sharedFailure.getMessage(), sharedFailure);
        }
        if (shared == null || shared.isClosed()) {
            try {
                shared = start(defaultDirectory());
            } catch (IllegalStateException e) {
                sharedFailure = e;
                throw e;
            }
        }
        return shared;
    }

    /** A cluster of its own in {@code dir} (which must not exist or be empty); the caller closes it. */
    public static PostgresCluster start(Path dir) {
        return start(findScript(), dir, Map.of());
    }

    /** As {@link #start(Path)} with extra environment for the script (tests of the failure paths). */
    static PostgresCluster start(Path script, Path dir, Map<String, String> env) {
        Path abs = dir.toAbsolutePath().normalize();
        List<String> args = List.of("start", abs.toString(), "--watch-pid",
                Long.toString(ProcessHandle.current().pid()));
        long timeout = Long.getLong("mlskit.pg.startTimeoutSeconds", 600);
        ScriptRun run = runScript(script, env, timeout, args);
        String url = run.output.lines().filter(l -> l.startsWith(JDBC_LINE))
                .map(l -> l.substring(JDBC_LINE.length())).findFirst().orElse(null);
        if (run.exit != 0 || url == null) {
            // Whatever the failed start left behind goes; its output is what the test must show.
            runScript(script, env, 120, List.of("stop", abs.toString()));
            throw new IllegalStateException("PostgreSQL test cluster could not be started (exit "
                    + run.exit + ") by: bash " + script + " " + String.join(" ", args)
                    + "\n--- script output ---\n" + run.output);
        }
        return new PostgresCluster(script, abs, env, url);
    }

    /** JDBC URL of the database {@code mlskit} as role {@code mlskit} (CREATEDB, not superuser). */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    public int port() {
        return port;
    }

    public Path directory() {
        return directory;
    }

    /**
     * Creates a fresh, empty database owned by {@code mlskit} and returns its JDBC URL. The name
     * (letters, digits, underscores; a test class's simple name fits) is lower-cased and given a
     * numeric suffix, so two calls with the same name still get two databases.
     */
    public String newDatabase(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("database name must match " + NAME + ": " + name);
        }
        ensureOpen();
        String db = name.toLowerCase(Locale.ROOT) + "_" + databases.incrementAndGet();
        try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + db);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + db + " on " + jdbcUrl, e);
        }
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + db + "?user=mlskit";
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    /** Stops the server and removes its directory. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyExiting) {
            // the hook is running or about to: it finds the cluster closed
        }
        ScriptRun run = runScript(script, env, 120, List.of("stop", directory.toString()));
        if (run.exit != 0) {
            throw new IllegalStateException("could not stop the PostgreSQL test cluster in " + directory
                    + " (exit " + run.exit + ")\n--- script output ---\n" + run.output);
        }
    }

    private void stopAtExit() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        ScriptRun run = runScript(script, env, 60, List.of("stop", directory.toString()));
        if (run.exit != 0) {
            System.err.println("PostgresCluster: stop failed at exit:\n" + run.output);
        }
    }

    private synchronized void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the PostgreSQL test cluster in " + directory + " is closed");
        }
    }

    private static int portOf(String url) {
        // jdbc:postgresql://127.0.0.1:PORT/mlskit?user=mlskit
        int colon = url.indexOf(':', "jdbc:postgresql://".length());
        return Integer.parseInt(url.substring(colon + 1, url.indexOf('/', colon)));
    }

    /** Exit status and merged output of one run of the script. */
    record ScriptRun(int exit, String output) {}

    /** Runs the script with stdout and stderr merged, echoed to System.err as it comes. */
    static ScriptRun runScript(Path script, Map<String, String> env, long timeoutSeconds,
            List<String> args) {
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        StringBuffer out = new StringBuffer();
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return new ScriptRun(-1, "could not run " + command + ": " + e);
        }
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    out.append(line).append('\n');
                    System.err.println(line);
                }
            } catch (IOException e) {
                out.append("(reading the script's output failed: ").append(e).append(")\n");
            }
        }, "pg-cluster-output");
        reader.setDaemon(true);
        reader.start();
        try {
            p.getOutputStream().close();
        } catch (IOException e) {
            // the script reads no input; a process that already exited is fine
        }
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                reader.join(2_000);
                return new ScriptRun(-1, out + "(timed out after " + timeoutSeconds + " s)\n");
            }
            reader.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            return new ScriptRun(-1, out + "(interrupted)\n");
        }
        return new ScriptRun(p.exitValue(), out.toString());
    }

    private static Path defaultDirectory() {
        String suffix = HexFormat.of().toHexDigits(new SecureRandom().nextInt());
        return targetDirectory().resolve("pg-cluster-" + suffix);
    }

    /** delivery-service/target, found from where this class was loaded (target/test-classes). */
    private static Path targetDirectory() {
        try {
            Path classes = Path.of(PostgresCluster.class.getProtectionDomain().getCodeSource()
                    .getLocation().toURI());
            if (classes.getParent() != null && classes.getFileName().toString().endsWith("classes")) {
                return classes.getParent();
            }
        } catch (URISyntaxException | RuntimeException e) {
            // fall through to the working directory
        }
        return Path.of("target").toAbsolutePath();
    }

    static Path findScript() {
        String configured = System.getProperty("mlskit.pg.script");
        if (configured != null) {
            return Path.of(configured).toAbsolutePath();
        }
        for (Path start : List.of(targetDirectory(), Path.of("").toAbsolutePath())) {
            for (Path d = start; d != null; d = d.getParent()) {
                Path candidate = d.resolve("scripts/pg-cluster.sh");
                if (Files.isRegularFile(candidate)) {
                    return candidate;
                }
            }
        }
        throw new IllegalStateException("scripts/pg-cluster.sh not found above " + targetDirectory()
                + " (set -Dmlskit.pg.script=PATH)");
    }
}
