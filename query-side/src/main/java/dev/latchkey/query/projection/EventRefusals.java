package dev.latchkey.query.projection;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Optional;
import java.util.Set;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.NonTransientDataAccessResourceException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;

/**
 * Tells a write the database refuses for what it says (park its events) from one that failed because the database
 * did (throw: the processor retries the batch later and nothing is parked), and describes a refusal by the failure's
 * type and SQLState only: a library's message may quote the row, and so the event's payload.
 */
public final class EventRefusals {

    /** SQLState classes that say the database (connection, resources, operator, transaction), not the row, failed. */
    private static final Set<String> NOT_THE_EVENTS = Set.of("08", "25", "40", "53", "57", "58", "XX");

    private EventRefusals() {}

    public static boolean belongToTheEvents(Throwable failure) {
        if (failure instanceof TransientDataAccessException
                || failure instanceof RecoverableDataAccessException
                || failure instanceof DataAccessResourceFailureException
                || failure instanceof NonTransientDataAccessResourceException) {
            return false;
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLTransientException || cause instanceof SQLRecoverableException) {
                return false;
            }
        }
        return sqlState(failure)
                .map(state -> state.length() < 2 || !NOT_THE_EVENTS.contains(state.substring(0, 2)))
                .orElse(true);
    }

    /** "connection-view refused this event (DataIntegrityViolationException, SQLState 22021)". */
    public static String describe(String projection, Throwable failure) {
        return projection + " refused this event (" + failure.getClass().getSimpleName()
                + sqlState(failure).map(state -> ", SQLState " + state).orElse("") + ")";
    }

    /** The batch rolls back; delivered again, the refused sequences are parked. */
    public static EventRefusedException batchFailed(String projection, int refusedSequences) {
        return new EventRefusedException(projection + " refused the events of " + refusedSequences
                + " sequence(s); the batch is rolled back and, delivered again, they are parked");
    }

    private static Optional<String> sqlState(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                return Optional.of(sql.getSQLState());
            }
        }
        return Optional.empty();
    }
}
