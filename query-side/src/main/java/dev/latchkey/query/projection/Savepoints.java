package dev.latchkey.query.projection;

import java.sql.Savepoint;
import java.util.Optional;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Writes that may fail without spoiling the transaction around them: PostgreSQL refuses every later statement of a
 * transaction in which one failed, unless it rolled back to a savepoint taken before.
 */
public final class Savepoints {

    private Savepoints() {}

    /**
     * Runs {@code write} inside a savepoint of the current transaction and answers its failure, rolled back to the
     * savepoint. Outside a transaction (auto-commit) the write runs as it is and a failure is thrown.
     */
    public static Optional<RuntimeException> attempt(JdbcTemplate jdbc, Runnable write) {
        Savepoint savepoint = jdbc.execute((ConnectionCallback<Savepoint>)
                connection -> connection.getAutoCommit() ? null : connection.setSavepoint());
        if (savepoint == null) {
            write.run();
            return Optional.empty();
        }
        try {
            write.run();
        } catch (RuntimeException failure) {
            jdbc.execute((ConnectionCallback<Void>) connection -> {
                connection.rollback(savepoint);
                return null;
            });
            return Optional.of(failure);
        }
        jdbc.execute((ConnectionCallback<Void>) connection -> {
            connection.releaseSavepoint(savepoint);
            return null;
        });
        return Optional.empty();
    }
}
