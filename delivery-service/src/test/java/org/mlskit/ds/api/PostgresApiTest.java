package org.mlskit.ds.api;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.TestMethodOrder;

/** The API contract over PostgreSQL (a throwaway cluster on loopback). */
@TestMethodOrder(MethodOrderer.MethodName.class)
class PostgresApiTest extends DeliveryApiContract implements RelayContract {
    @Override
    public String relayBase() {
        return base;
    }

    @Override
    public String relayEngine() {
        return "postgres";
    }

    @BeforeAll
    static void start() {
        startServer("postgres");
    }
}
