package org.mlskit.ds.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.mlskit.ds.api.DsError;

/**
 * The storage of one DS instance: SQLite (one file, embedded) or PostgreSQL (shared by several
 * instances). Writes go through one {@link Writer} thread in batches; reads use a small pool of
 * connections. The schema is migrated on open (versions in {@code store/DIALECT/V*.sql}).
 */
public final class Database implements AutoCloseable {
    /** The schema version this build writes; older databases are migrated on open, newer ones refused. */
    public static final int SCHEMA_VERSION = 4;

    private final Dialect dialect;
    private final String jdbcUrl;
    private final Writer writer;
    private final Thread writerThread;
    private final BlockingQueue<Statements> readers;
    private final List<java.util.function.Consumer<List<Written>>> commitListeners = new CopyOnWriteArrayList<>();
    private final String instance = java.util.UUID.randomUUID().toString();

    private Database(Dialect dialect, String jdbcUrl, int readConnections) throws SQLException {
        this.dialect = dialect;
        this.jdbcUrl = jdbcUrl;
        try (Statements s = open()) {
            migrate(s.connection());
        }
        this.readers = new ArrayBlockingQueue<>(readConnections);
        for (int i = 0; i < readConnections; i++) {
            readers.add(open());
        }
        this.writer = new Writer(() -> {
            try {
                return open();
            } catch (SQLException e) {
                throw new DsError(DsError.Code.UNAVAILABLE, "cannot connect to the database: " + e.getMessage());
            }
        }, dialect, written -> commitListeners.forEach(l -> l.accept(written)), instance);
        this.writerThread = new Thread(writer, "ds-writer");
        writerThread.setDaemon(true);
        writerThread.start();
    }

    /**
     * Opens {@code sqlite:FILE} or {@code postgres:URL} ({@code postgres://HOST:PORT/DB?user=U},
     * {@code postgres:jdbc:postgresql://...}); creates or migrates the schema.
     */
    public static Database open(String spec) throws SQLException {
        Dialect d = Dialect.ofSpec(spec);
        String rest = spec.substring(spec.indexOf(':') + 1);
        if (d == Dialect.SQLITE) {
            Path file = Paths.get(rest).toAbsolutePath();
            try {
                if (file.getParent() != null) {
                    Files.createDirectories(file.getParent());
                }
            } catch (IOException e) {
                throw new SQLException("cannot create " + file.getParent() + ": " + e.getMessage(), e);
            }
            return new Database(d, "jdbc:sqlite:" + file, 4);
        }
        String url = rest.startsWith("jdbc:") ? rest
                : rest.startsWith("//") ? "jdbc:postgresql:" + rest
                : "jdbc:postgresql:" + rest.replaceFirst("^postgres(ql)?:", "");
        return new Database(d, url, 8);
    }

    public Dialect dialect() {
        return dialect;
    }

    /** The JDBC URL (for a LISTEN connection). */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** A random id of this instance (the payload of its NOTIFYs on PostgreSQL). */
    public String instance() {
        return instance;
    }

    /** Queues a write; the future completes once it is durable, or fails with a {@link DsError}. */
    public <T> CompletableFuture<T> write(WriteOp<T> op) {
        return writer.submit(op);
    }

    /** Writes and waits (for callers that are not request handlers: tests, maintenance). */
    public <T> T writeNow(WriteOp<T> op) {
        try {
            return write(op).get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof DsError de) {
                throw de;
            }
            throw new DsError(DsError.Code.INTERNAL, String.valueOf(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DsError(DsError.Code.UNAVAILABLE, "interrupted");
        } catch (java.util.concurrent.TimeoutException e) {
            throw new DsError(DsError.Code.UNAVAILABLE, "the database did not answer in 60 s");
        }
    }

    /** Runs a read on a pooled connection. */
    public <T> T read(ReadOp<T> op) {
        Statements s;
        try {
            s = readers.poll(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DsError(DsError.Code.UNAVAILABLE, "interrupted");
        }
        if (s == null) {
            throw new DsError(DsError.Code.UNAVAILABLE, "no database connection free for 30 s");
        }
        boolean healthy = true;
        try {
            return op.apply(s);
        } catch (SQLException e) {
            healthy = isAlive(s);
            throw new DsError(DsError.Code.UNAVAILABLE, "storage failed: " + e.getMessage());
        } finally {
            if (healthy) {
                readers.add(s);
            } else {
                s.close();
                try {
                    readers.add(open());
                } catch (SQLException e) {
                    readers.add(s); // keep the pool size; the next use reports the failure again
                }
            }
        }
    }

    /**
     * Called on the writer thread after each durable commit with the mailbox entries it stored,
     * in id order (the fan-out delivers them without reading them back).
     */
    public void onCommit(java.util.function.Consumer<List<Written>> listener) {
        commitListeners.add(listener);
    }

    /** Writer counters {batches, operations, nanos running operations, nanos committing} (the load benchmark reads them). */
    public long[] writerStats() {
        return writer.stats();
    }

    /** Writes waiting for the writer. */
    public int writeBacklog() {
        return writer.backlog();
    }

    /** A new connection outside the pool (the PostgreSQL LISTEN connection). */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl);
    }

    private Statements open() throws SQLException {
        Connection c = DriverManager.getConnection(jdbcUrl);
        if (dialect == Dialect.SQLITE) {
            try (Statement st = c.createStatement()) {
                st.execute("PRAGMA journal_mode=WAL");
                // FULL: a commit returns only after the WAL is fsynced, so an acknowledgement survives power loss too.
                st.execute("PRAGMA synchronous=FULL");
                st.execute("PRAGMA busy_timeout=10000");
                st.execute("PRAGMA foreign_keys=ON");
            }
        }
        return new Statements(c, dialect);
    }

    private static boolean isAlive(Statements s) {
        try {
            return s.connection().isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    private void migrate(Connection c) throws SQLException {
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            if (dialect.migrationLock() != null) {
                st.execute(dialect.migrationLock());
            }
            st.execute("CREATE TABLE IF NOT EXISTS schema_version (version INT NOT NULL)");
            int current = 0;
            try (var rs = st.executeQuery("SELECT max(version) FROM schema_version")) {
                if (rs.next()) {
                    current = rs.getInt(1);
                }
            }
            if (current > SCHEMA_VERSION) {
                throw new SQLException("the database has schema version " + current + ", newer than this server's "
                        + SCHEMA_VERSION + "; run a newer server");
            }
            for (int v = current + 1; v <= SCHEMA_VERSION; v++) {
                for (String sql : script(v).split(";\\s*(\\n|$)")) {
                    String stmt = stripComments(sql);
                    if (!stmt.isBlank()) {
                        st.execute(stmt);
                    }
                }
                st.execute("INSERT INTO schema_version (version) VALUES (" + v + ")");
            }
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    private String script(int version) throws SQLException {
        String name = dialect.migrationFolder() + "/V" + version + ".sql";
        try (InputStream in = Database.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new SQLException("migration " + name + " missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SQLException("cannot read migration " + name, e);
        }
    }

    private static String stripComments(String sql) {
        StringBuilder out = new StringBuilder();
        for (String line : sql.split("\n")) {
            if (!line.trim().startsWith("--")) {
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }

    @Override
    public void close() {
        writer.close();
        try {
            writerThread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Statements s; (s = readers.poll()) != null; ) {
            s.close();
        }
    }
}
