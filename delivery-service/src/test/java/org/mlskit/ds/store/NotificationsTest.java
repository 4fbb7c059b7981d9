package org.mlskit.ds.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlskit.ds.testing.PostgresCluster;

/** The LISTEN connection of the feeds, against a real PostgreSQL. */
class NotificationsTest {
    private static String url;

    @BeforeAll
    static void database() {
        url = PostgresCluster.shared().newDatabase("notifications");
    }

    @Test
    void thePinnedDriverHandsNoticesOverWithoutItsWait() throws SQLException {
        // Fails when a pgjdbc upgrade renames what Notifications switches off: look at it again then.
        try (Notifications n = new Notifications(DriverManager.getConnection(url), "prompt_check")) {
            assertTrue(n.prompt(), "pgjdbc's 1 ms wait after each notification is still on");
        }
    }

    @Test
    void everyNoticeArrivesOnceInCommitOrderWhenTheyComeFasterThanTheyAreRead() throws Exception {
        List<String> sent = new ArrayList<>();
        List<String> got = new ArrayList<>();
        try (Notifications n = new Notifications(DriverManager.getConnection(url), "burst");
                Connection sender = DriverManager.getConnection(url);
                PreparedStatement notify = sender.prepareStatement("SELECT pg_notify('burst', ?)")) {
            sender.setAutoCommit(false);
            // 400 transactions of 3 notices, sent while nothing reads: most calls find several waiting.
            for (int tx = 0; tx < 400; tx++) {
                for (int i = 0; i < 3; i++) {
                    String p = tx + "." + i;
                    notify.setString(1, p);
                    notify.execute();
                    sent.add(p);
                }
                sender.commit();
                if (tx % 100 == 0) {
                    got.addAll(n.await(500)); // reads while more are on the way
                }
            }
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (got.size() < sent.size() && System.nanoTime() < deadline) {
                got.addAll(n.await(500));
            }
            assertEquals(sent, got);
            assertEquals(List.of(), n.await(50), "nothing more than was sent");
        }
    }

    @Test
    void aChannelPostgreSqlRefusesClosesTheConnection() throws SQLException {
        Connection c = DriverManager.getConnection(url);
        assertThrows(SQLException.class, () -> new Notifications(c, "not a channel"));
        assertTrue(c.isClosed());
    }
}
