package org.mlskit.ds.api;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.TestMethodOrder;

/** The API contract over the embedded SQLite engine. */
@TestMethodOrder(MethodOrderer.MethodName.class)
class SqliteApiTest extends DeliveryApiContract implements RelayContract {
    @Override
    public String relayBase() {
        return base;
    }

    @Override
    public String relayEngine() {
        return "sqlite";
    }

    @BeforeAll
    static void start() {
        startServer("sqlite");
    }
}
