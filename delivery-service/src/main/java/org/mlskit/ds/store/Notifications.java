package org.mlskit.ds.store;

import java.lang.reflect.Field;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.logging.Logger;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.PGStream;
import org.postgresql.core.QueryExecutorBase;

/**
 * A PostgreSQL connection that LISTENs on one channel and hands over what arrives as soon as it
 * arrives.
 *
 * <p>pgjdbc (42.7) ends every {@code getNotifications} call by waiting up to 1 ms for more bytes
 * (its {@code hasMessagePending} peeks with a 1 ms socket timeout and, when the timeout expires,
 * does not remember that nothing was there). So each notice arrived at least 1.1 ms late, and at
 * more than about 1,000 notices/s, each arriving within the wait of the one before, one call went
 * on collecting for tens of milliseconds: with two DS instances at 2,500 messages/s the other
 * instance's notices were 10 ms late on average and the feeds read half of them back from the
 * database instead. On this connection, which runs nothing but LISTEN, the peek is switched off
 * (its "next check" time set to never): a call returns what has arrived, bytes already received
 * included, and the next call blocks for the next notice. If the driver's internals differ (a
 * newer pgjdbc), the connection works as the driver does, slower, and says so once.
 */
public final class Notifications implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Notifications.class.getName());
    private static volatile boolean warned;

    private final Connection connection;
    private final PGConnection pg;
    private final boolean prompt;

    /** LISTENs on {@code channel} over {@code connection} (taken over: closed with this). */
    public Notifications(Connection connection, String channel) throws SQLException {
        this.connection = connection;
        try (Statement st = connection.createStatement()) {
            st.execute("LISTEN " + channel);
            this.pg = connection.unwrap(PGConnection.class);
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
        this.prompt = switchOffPeek(connection);
    }

    /** Whether notices are handed over without the driver's 1 ms wait (for tests and logs). */
    public boolean prompt() {
        return prompt;
    }

    /** The payloads that arrived, waiting up to {@code timeoutMillis} for the first; empty when none came. */
    public List<String> await(int timeoutMillis) throws SQLException {
        PGNotification[] n = pg.getNotifications(timeoutMillis);
        if (n == null || n.length == 0) {
            return List.of();
        }
        String[] payloads = new String[n.length];
        for (int i = 0; i < n.length; i++) {
            payloads[i] = n[i].getParameter();
        }
        return List.of(payloads);
    }

    private static boolean switchOffPeek(Connection connection) {
        try {
            Object executor = connection.unwrap(BaseConnection.class).getQueryExecutor();
            Field stream = QueryExecutorBase.class.getDeclaredField("pgStream");
            stream.setAccessible(true);
            Field nextCheck = PGStream.class.getDeclaredField("nextStreamAvailableCheckTime");
            nextCheck.setAccessible(true);
            nextCheck.setLong(stream.get(executor), Long.MAX_VALUE);
            return true;
        } catch (ReflectiveOperationException | SQLException | RuntimeException e) {
            if (!warned) {
                warned = true;
                LOG.warning("pgjdbc's wait after each notification could not be switched off (" + e
                        + "): notices between DS instances arrive 1 ms or more late");
            }
            return false;
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
