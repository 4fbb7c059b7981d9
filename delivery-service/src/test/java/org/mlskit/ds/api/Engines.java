package org.mlskit.ds.api;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import org.mlskit.ds.DeliveryService;
import org.mlskit.ds.DeliveryServiceConfig;
import org.mlskit.ds.testing.PostgresCluster;

/** Starts real DS instances on loopback over either engine, each test class on a fresh database. */
public final class Engines {
    private static final AtomicInteger COUNT = new AtomicInteger();

    private Engines() {
    }

    /** A fresh database: {@code sqlite:FILE} in a new temporary directory, or a new PostgreSQL database. */
    public static String freshDb(String engine) {
        try {
            if (engine.equals("sqlite")) {
                Path dir = Files.createTempDirectory("ds-sqlite");
                return "sqlite:" + dir.resolve("ds.sqlite");
            }
            return "postgres:" + PostgresCluster.shared().newDatabase("ds" + COUNT.incrementAndGet());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A DS on a free loopback port over {@code db}. */
    public static DeliveryService start(String db, DeliveryServiceConfig.Limits limits) {
        try {
            Path tmp = Files.createTempDirectory("ds");
            Files.createDirectories(tmp.resolve("web"));
            DeliveryServiceConfig c = new DeliveryServiceConfig("127.0.0.1", 0, tmp.resolve("web"), tmp.resolve("teavm"),
                    tmp.resolve("vectors"), tmp.resolve("pkg"), db, tmp.resolve("data"), limits);
            return new DeliveryService(c).start();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
