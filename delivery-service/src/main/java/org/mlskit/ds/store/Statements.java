package org.mlskit.ds.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * One connection and its prepared statements, reused by SQL text (preparing costs more than
 * running most of our queries). Used by one thread at a time.
 */
public final class Statements implements AutoCloseable {
    private final Connection connection;
    private final Dialect dialect;
    private final Map<String, PreparedStatement> cache = new HashMap<>();
    /** Rows changed since the writer last reset it: tells whether a failed operation left changes. */
    int writes;
    /**
     * What operations of the current write batch have read (a room's epoch, who holds a leaf), so
     * the next message of the batch to the same room does not read it again. Any write other than
     * a new message forgets all of it, and so does the writer at every (re)start of a batch.
     */
    private final Map<Object, Object> facts = new HashMap<>();

    Statements(Connection connection, Dialect dialect) {
        this.connection = connection;
        this.dialect = dialect;
    }

    public Connection connection() {
        return connection;
    }

    public Dialect dialect() {
        return dialect;
    }

    /** The prepared statement for {@code sql}, parameters cleared. */
    public PreparedStatement prepare(String sql) throws SQLException {
        PreparedStatement ps = cache.get(sql);
        if (ps == null) {
            ps = connection.prepareStatement(sql);
            cache.put(sql, ps);
        } else {
            ps.clearParameters();
        }
        return ps;
    }

    /** Binds {@code args} in order (String, Long, Integer, byte[], null). */
    public PreparedStatement bind(String sql, Object... args) throws SQLException {
        PreparedStatement ps = prepare(sql);
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
        return ps;
    }

    /** A fact remembered in this write batch, or null. */
    public Object fact(Object key) {
        return facts.get(key);
    }

    public void remember(Object key, Object value) {
        facts.put(key, value);
    }

    /** Forgets every fact (a write that may change them; a new or rolled-back batch). */
    public void forget() {
        facts.clear();
    }

    /** Runs an INSERT, UPDATE or DELETE; returns the rows changed. */
    public int update(String sql, Object... args) throws SQLException {
        writes++;
        forget();
        return bind(sql, args).executeUpdate();
    }

    /** Runs an INSERT ... RETURNING of one generated id. */
    public long insertReturningId(String sql, Object... args) throws SQLException {
        writes++;
        if (!sql.startsWith("INSERT INTO messages ")) {
            forget(); // a new message changes no fact; anything else might
        }
        try (java.sql.ResultSet rs = bind(sql, args).executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("no id returned by " + sql);
            }
            return rs.getLong(1);
        }
    }

    /** The first column of the first row as a long, or {@code absent} when there is no row. */
    public long queryLong(long absent, String sql, Object... args) throws SQLException {
        try (java.sql.ResultSet rs = bind(sql, args).executeQuery()) {
            return rs.next() ? rs.getLong(1) : absent;
        }
    }

    @Override
    public void close() {
        for (PreparedStatement ps : cache.values()) {
            try {
                ps.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
        cache.clear();
        try {
            connection.close();
        } catch (SQLException ignored) {
            // closing anyway
        }
    }
}
