package org.mlskit.ds.store;

import java.sql.SQLException;

/**
 * Work inside a write transaction. It runs on the writer thread, inside a savepoint: if it throws,
 * its own changes are undone and the other operations of the same batch still commit.
 */
@FunctionalInterface
public interface WriteOp<T> {
    T apply(Statements tx) throws SQLException;
}
