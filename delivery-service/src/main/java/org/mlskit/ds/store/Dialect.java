package org.mlskit.ds.store;

/** What differs between the two SQL engines; every query is otherwise the same text. */
public enum Dialect {
    SQLITE("sqlite"),
    POSTGRES("postgres");

    private final String migrations;

    Dialect(String migrations) {
        this.migrations = migrations;
    }

    /** Resource folder (next to this class) holding V1.sql, V2.sql, ... */
    String migrationFolder() {
        return migrations;
    }

    /**
     * Serialises writers across every DS instance on the database until the transaction ends, so
     * message ids (one sequence) become visible in the order they were taken: a reader that has
     * seen id N has seen every id below N (the mailbox cursors rely on it). It is a row lock on the
     * write generation, whose value it returns: a writer that waited reads the generation the last
     * holder committed, so taking the lock and learning what changed is one round trip. SQLite has
     * one writer already.
     */
    String writeLock() {
        return this == POSTGRES ? "SELECT n FROM write_generation WHERE id = 1 FOR UPDATE" : null;
    }

    /** Two instances starting at once migrate one after the other (the tables may not exist yet). */
    String migrationLock() {
        return this == POSTGRES ? "SELECT pg_advisory_xact_lock(726373)" : null;
    }

    /**
     * Ends a write transaction that stored mailbox entries: notifies the other instances' feeds
     * (its one parameter is an array of {@link Notice} payloads; its own feed woke already) and
     * commits, in one round trip inside the write lock's hold time (pgjdbc sends both statements
     * before waiting; the notices go out when the commit is durable, in commit order).
     */
    String notifyAndCommit() {
        return this == POSTGRES ? "SELECT pg_notify('mlskit_feed', p) FROM unnest(?::text[]) AS p; COMMIT" : null;
    }

    /** Parses {@code sqlite:FILE} or {@code postgres:URL} (a JDBC or postgres:// URL). */
    public static Dialect ofSpec(String spec) {
        if (spec.startsWith("sqlite:")) {
            return SQLITE;
        }
        if (spec.startsWith("postgres:") || spec.startsWith("postgresql:")) {
            return POSTGRES;
        }
        throw new IllegalArgumentException("--db must be sqlite:FILE or postgres:URL, got " + spec);
    }
}
