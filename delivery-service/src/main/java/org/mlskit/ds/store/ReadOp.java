package org.mlskit.ds.store;

import java.sql.SQLException;

/** Work on a pooled read connection (a snapshot in PostgreSQL; WAL readers in SQLite). */
@FunctionalInterface
public interface ReadOp<T> {
    T apply(Statements db) throws SQLException;
}
