package dev.latchkey.query.authorization;

import dev.latchkey.domain.connection.AuthorizationStarted;
import dev.latchkey.domain.connection.CallbackAccepted;
import dev.latchkey.domain.connection.ConnectionId;
import dev.latchkey.domain.connection.ConnectionRevoked;
import dev.latchkey.domain.connection.PendingAuthorization;
import dev.latchkey.domain.connection.ReconnectStarted;
import dev.latchkey.query.projection.SqlInstants;
import java.time.Instant;
import java.util.Optional;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The lookup from a callback's state digest to its connection ({@code authorization_state}). The browser may come
 * back within a second of the command that started the flow, so this must be current at once: run its group,
 * {@link #PROCESSING_GROUP}, in a SUBSCRIBING processor, which writes in the command's own transaction. It cannot be
 * replayed, and needs not be: its rows live ten minutes.
 */
@ProcessingGroup(AuthorizationStates.PROCESSING_GROUP)
public class AuthorizationStates {

    /** Configure this group as a subscribing processor, with a propagating error handler. */
    public static final String PROCESSING_GROUP = "authorization-states";

    private final JdbcTemplate jdbc;

    public AuthorizationStates(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    public void on(AuthorizationStarted event) {
        remember(event.connectionId(), event.authorization());
    }

    @EventHandler
    public void on(ReconnectStarted event) {
        // a new attempt replaces the pending one, as in the aggregate
        forget(event.connectionId());
        remember(event.connectionId(), event.authorization());
    }

    @EventHandler
    public void on(CallbackAccepted event) {
        jdbc.update("DELETE FROM authorization_state WHERE state_digest = ?", event.stateDigest());
    }

    @EventHandler
    public void on(ConnectionRevoked event) {
        forget(event.connectionId());
    }

    @QueryHandler
    public Optional<AuthorizationState> handle(FindAuthorizationState query) {
        return jdbc
                .query(
                        "SELECT state_digest, connection_id, expires_at FROM authorization_state WHERE state_digest = ?",
                        (rs, n) -> new AuthorizationState(
                                rs.getString("state_digest"),
                                ConnectionId.of(rs.getString("connection_id")),
                                SqlInstants.get(rs, "expires_at")),
                        query.stateDigest())
                .stream()
                .findFirst();
    }

    /**
     * Deletes the states of flows abandoned before {@code before}; for a scheduler. The aggregate refuses expired
     * states anyway: this only keeps the table small.
     *
     * @return how many were deleted
     */
    public int deleteExpired(Instant before) {
        return jdbc.update(
                "DELETE FROM authorization_state WHERE expires_at < ?", ps -> SqlInstants.set(ps, 1, before));
    }

    /**
     * Deletes at most {@code limit} states that expired before {@code before}: a scheduler calls it until fewer are
     * deleted, so no statement holds the table long.
     *
     * @return how many were deleted
     */
    public int deleteExpired(Instant before, int limit) {
        return jdbc.update("""
                DELETE FROM authorization_state WHERE state_digest IN (
                    SELECT state_digest FROM authorization_state WHERE expires_at < ? LIMIT ?)
                """, ps -> {
            SqlInstants.set(ps, 1, before);
            ps.setInt(2, limit);
        });
    }

    private void remember(ConnectionId connectionId, PendingAuthorization authorization) {
        jdbc.update("""
                INSERT INTO authorization_state (state_digest, connection_id, expires_at) VALUES (?, ?, ?)
                ON CONFLICT (state_digest) DO NOTHING
                """, ps -> {
            ps.setString(1, authorization.stateDigest());
            ps.setString(2, connectionId.value());
            SqlInstants.set(ps, 3, authorization.expiresAt());
        });
    }

    private void forget(ConnectionId connectionId) {
        jdbc.update("DELETE FROM authorization_state WHERE connection_id = ?", connectionId.value());
    }
}
