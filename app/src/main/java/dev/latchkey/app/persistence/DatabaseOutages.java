package dev.latchkey.app.persistence;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Set;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Whether a failure says the database is away (unreachable, shutting down, out of connections), as opposed to a
 * statement it refused. Such a failure is answered 503 {@code database-unavailable} with {@code Retry-After}. How long
 * a caller waits for a connection is {@code spring.datasource.hikari.connection-timeout} (application.yml: 3 s), so
 * the answer comes within 5 s, not after Hikari's default 30 s.
 */
public final class DatabaseOutages {

    /** How long a caller is asked to wait before trying again. */
    public static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    /** connection exception, insufficient resources, operator intervention (shutdown, crash), system error. */
    private static final Set<String> OUTAGE_STATES = Set.of("08", "53", "57", "58");

    private DatabaseOutages() {}

    public static boolean isOutage(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof CannotCreateTransactionException
                    || cause instanceof DataAccessResourceFailureException
                    || cause instanceof RecoverableDataAccessException
                    || cause instanceof SQLTransientConnectionException
                    || cause instanceof SQLNonTransientConnectionException
                    || cause instanceof SQLRecoverableException) {
                return true;
            }
            if (cause instanceof SQLException sql && sql.getSQLState() == null && fromClosedPooledConnection(sql)) {
                return true;
            }
            if (cause instanceof SQLException sql
                    && sql.getSQLState() != null
                    && sql.getSQLState().length() >= 2
                    && OUTAGE_STATES.contains(sql.getSQLState().substring(0, 2))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Hikari's answer on a connection it has already closed because the database cut it off ("Connection is
     * closed", no SQL state): thrown by its proxy, so the pool, not a statement, says so (soak finding 10: a
     * disconnect's rollback during a PostgreSQL stop).
     */
    private static boolean fromClosedPooledConnection(SQLException failure) {
        StackTraceElement[] frames = failure.getStackTrace();
        return frames.length > 0 && frames[0].getClassName().startsWith("com.zaxxer.hikari.pool.ProxyConnection");
    }
}
