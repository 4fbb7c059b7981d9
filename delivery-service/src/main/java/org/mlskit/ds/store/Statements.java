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
     * What write operations have read (a room's epoch, who holds a leaf), so the next message to
     * the same room does not read it again. Any write other than a new message forgets all of it
     * and marks the transaction as {@link #changedFacts}; the writer keeps the rest across
     * transactions only while the database's write generation shows no other writer changed
     * anything ({@code Writer}).
     */
    private final Map<Object, Object> facts = new HashMap<>();
    /** Facts kept at most: a bound on memory, not a policy (reading one again is one query). */
    private static final int MAX_FACTS = 100_000;
    /** Whether this transaction wrote something other than new messages. */
    boolean changedFacts;

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
        if (facts.size() >= MAX_FACTS) {
            facts.clear();
        }
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
        changedFacts = true;
        return bind(sql, args).executeUpdate();
    }

    /** Runs an INSERT ... RETURNING of one generated id. */
    public long insertReturningId(String sql, Object... args) throws SQLException {
        writes++;
        if (!sql.startsWith("INSERT INTO messages ")) {
            forget(); // a new message changes no fact; anything else might
            changedFacts = true;
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
