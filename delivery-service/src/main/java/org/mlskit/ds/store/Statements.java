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
     * What write operations have read of the rooms and memberships tables (a room's epoch, who
     * holds a leaf), so the next message to the same room does not read it again. A write to one
     * room ({@link #updateRoom}) forgets that room's facts, any other write to those tables all of
     * them, and either counts as a change of facts ({@link #changedFacts()}); the writer keeps
     * facts across transactions only while the database's write generation shows no other
     * writer changed anything, or only other rooms ({@code Writer}).
     */
    private final Map<Object, Object> facts = new HashMap<>();
    /** Facts kept at most: a bound on memory, not a policy (reading one again is one query). */
    private static final int MAX_FACTS = 100_000;
    /** Statements run on this connection (a load benchmark figure: round trips on PostgreSQL). */
    long statements;
    /** The rooms whose facts this transaction changed, and whether it changed facts of no one room. */
    final java.util.Set<java.nio.ByteBuffer> changedRooms = new java.util.HashSet<>();
    boolean changedAll;

    /** Whether this transaction changed facts (wrote to rooms or memberships). */
    boolean changedFacts() {
        return changedAll || !changedRooms.isEmpty();
    }

    /** Starts a transaction's record of changed facts afresh. */
    void resetChanges() {
        changedAll = false;
        changedRooms.clear();
    }

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

    /** The insert of one mailbox entry (a message of a group), with its generated id. */
    private static final String INSERT_MESSAGE = "INSERT INTO messages (group_id, kind, epoch, sender, bytes, created)"
            + " VALUES (?, ?, ?, ?, ?, ?)";
    /** Message inserts waiting to go to PostgreSQL as one pipelined batch, and where their ids go. */
    private final java.util.List<Object[]> deferred = new java.util.ArrayList<>();
    private final java.util.List<long[]> deferredIds = new java.util.ArrayList<>();
    /** Set when deferred inserts failed: operations of the batch were told they had stored a message. */
    boolean deferredFailed;
    /** The entries this transaction stored, in id order (handed to the live fan-out after the commit). */
    final java.util.List<Written> written = new java.util.ArrayList<>();

    /**
     * Inserts a message (a mailbox entry) and returns its id, possibly later: on PostgreSQL the
     * insert waits to go out with the batch's other message inserts in one round trip (pgjdbc
     * pipelines a JDBC batch), which is sent before any other statement, so ids keep their order.
     * The id is known once the transaction has run, which is before any answer is sent.
     */
    public java.util.function.LongSupplier insertMessage(byte[] groupId, int kind, long epoch, Long sender, byte[] bytes,
            long created) throws SQLException {
        if (dialect != Dialect.POSTGRES) {
            long id = insertMessageNow(groupId, kind, epoch, sender, bytes, created, null);
            return () -> id;
        }
        writes++;
        long[] id = {-1};
        deferred.add(new Object[] {groupId, kind, epoch, sender, bytes, created});
        deferredIds.add(id);
        return () -> {
            if (id[0] < 0) {
                throw new IllegalStateException("a deferred message id was read before its batch ran");
            }
            return id[0];
        };
    }

    /**
     * Inserts a mailbox entry now and returns its id. A Welcome ({@code groupId} null) names the
     * devices it is for in {@code to}; the caller writes them to {@code direct} too.
     */
    public long insertMessageNow(byte[] groupId, int kind, long epoch, Long sender, byte[] bytes, long created, long[] to)
            throws SQLException {
        long id = insertReturningId(INSERT_MESSAGE + " RETURNING id", groupId, kind, epoch, sender, bytes, created);
        written.add(new Written(id, groupId, kind, bytes, to));
        return id;
    }

    /** Sends the deferred message inserts (before any other statement, and before commit). */
    void flushDeferred() throws SQLException {
        if (deferred.isEmpty()) {
            return;
        }
        // One statement for the whole batch: the ids come from the sequence in row order (the write
        // lock keeps other instances out), so the sorted returned ids belong to the rows in order.
        StringBuilder sql = new StringBuilder(INSERT_MESSAGE.substring(0, INSERT_MESSAGE.indexOf(" VALUES")))
                .append(" SELECT g, k, e, s, b, c FROM (VALUES ");
        for (int i = 0; i < deferred.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("(?::bytea, ?::int, ?::bigint, ?::bigint, ?::bytea, ?::bigint, ").append(i)
                    .append(")");
        }
        sql.append(") AS v (g, k, e, s, b, c, o) ORDER BY o RETURNING id");
        try (PreparedStatement ps = connection.prepareStatement(sql.toString())) {
            int at = 1;
            for (Object[] row : deferred) {
                for (Object v : row) {
                    ps.setObject(at++, v);
                }
            }
            statements++;
            deferredFailed = true; // until the ids are in: a failure here fails the whole batch (Writer)
            long[] ids = new long[deferred.size()];
            int n = 0;
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (n == ids.length) {
                        throw new SQLException("more ids than message inserts in a batch");
                    }
                    ids[n++] = rs.getLong(1);
                }
            }
            if (n != ids.length) {
                throw new SQLException("fewer ids than message inserts in a batch");
            }
            java.util.Arrays.sort(ids);
            for (int i = 0; i < ids.length; i++) {
                deferredIds.get(i)[0] = ids[i];
                Object[] row = deferred.get(i);
                written.add(new Written(ids[i], (byte[]) row[0], (Integer) row[1], (byte[]) row[4], null));
            }
            deferredFailed = false;
        } finally {
            discardDeferred();
        }
    }

    /** Forgets deferred inserts (their transaction was rolled back). */
    void discardDeferred() {
        deferred.clear();
        deferredIds.clear();
    }

    /** The prepared statement for {@code sql}, parameters cleared. */
    public PreparedStatement prepare(String sql) throws SQLException {
        flushDeferred(); // every statement sees the messages inserted before it, in id order
        statements++;
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

    /** Forgets the facts of {@code rooms} and every fact of no one room. */
    void forget(java.util.Set<java.nio.ByteBuffer> rooms) {
        facts.keySet().removeIf(k -> !(k instanceof RoomFact f) || rooms.contains(f.room()));
    }

    /** A fact about one room: forgotten when that room is written ({@link #updateRoom}). */
    public interface RoomFact {
        java.nio.ByteBuffer room();
    }

    /** The tables facts are read from: a write to them that names no room forgets every fact. */
    private static final java.util.regex.Pattern FACT_TABLES = java.util.regex.Pattern.compile("\\b(rooms|memberships)\\b");

    private void wrote(String sql) {
        if (FACT_TABLES.matcher(sql).find()) {
            forget();
            changedAll = true;
        }
    }

    /** Runs an INSERT, UPDATE or DELETE; returns the rows changed. */
    public int update(String sql, Object... args) throws SQLException {
        writes++;
        int changed = bind(sql, args).executeUpdate();
        if (changed > 0) {
            wrote(sql); // a statement that changed no row changed no fact (a failed one rolls the batch back)
        }
        return changed;
    }

    /** {@link #update} of the rooms or memberships rows of one room: forgets only that room's facts. */
    public int updateRoom(byte[] room, String sql, Object... args) throws SQLException {
        writes++;
        java.nio.ByteBuffer key = java.nio.ByteBuffer.wrap(room);
        facts.keySet().removeIf(k -> k instanceof RoomFact f && f.room().equals(key));
        changedRooms.add(key);
        return bind(sql, args).executeUpdate();
    }

    /** Runs an INSERT ... RETURNING of one generated id. */
    public long insertReturningId(String sql, Object... args) throws SQLException {
        writes++;
        wrote(sql); // a new message changes no fact
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
