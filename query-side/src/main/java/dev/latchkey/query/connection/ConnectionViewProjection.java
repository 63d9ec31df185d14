package dev.latchkey.query.connection;

import dev.latchkey.domain.connection.AuthorizationFailed;
import dev.latchkey.domain.connection.AuthorizationStarted;
import dev.latchkey.domain.connection.CallbackAccepted;
import dev.latchkey.domain.connection.ConnectionAuthFailed;
import dev.latchkey.domain.connection.ConnectionEstablished;
import dev.latchkey.domain.connection.ConnectionId;
import dev.latchkey.domain.connection.ConnectionRenamed;
import dev.latchkey.domain.connection.ConnectionRevoked;
import dev.latchkey.domain.connection.ConnectionStatus;
import dev.latchkey.domain.connection.ReconnectStarted;
import dev.latchkey.domain.connection.RefreshFailed;
import dev.latchkey.domain.connection.RefreshStarted;
import dev.latchkey.domain.connection.RevocationStarted;
import dev.latchkey.domain.connection.TokensRefreshed;
import dev.latchkey.domain.connection.VisibilityChanged;
import dev.latchkey.query.projection.Applied;
import dev.latchkey.query.projection.BatchPerUnitOfWork;
import dev.latchkey.query.projection.ProjectionPositions;
import dev.latchkey.query.projection.RefusedSequences;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ResetHandler;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Builds {@code connection_view}, the one denormalised table {@code listConnections} reads. Run it in a pooled
 * streaming processor: it is rebuilt by replay ({@link ResetHandler} empties it), its changes are written once per
 * event batch, and every event is applied at most once per row, guarded by the aggregate's sequence number.
 *
 * <p>{@code updatedAt} moves with what a caller sees: tokens, auth failure, name, visibility. Refresh bookkeeping
 * and authorization attempts change the row without moving it. A revoked connection leaves the view.
 */
@ProcessingGroup(ConnectionViewProjection.PROCESSING_GROUP)
public class ConnectionViewProjection {

    public static final String PROCESSING_GROUP = "connection-view";

    private final JdbcTemplate jdbc;
    private final ConnectionViewTable table;
    private final ProjectionPositions positions;
    private final RefusedSequences refused = new RefusedSequences();

    /** The refresh-ahead the scheduler is run with when nobody says: Latchkey's default. */
    public static final Duration DEFAULT_REFRESH_AHEAD = Duration.ofSeconds(60);

    public ConnectionViewProjection(JdbcTemplate jdbc, ProjectionPositions positions) {
        this(jdbc, positions, DEFAULT_REFRESH_AHEAD);
    }

    /** @param refreshAhead how long before expiry the scheduler refreshes (the row's {@code next_refresh_at}) */
    public ConnectionViewProjection(JdbcTemplate jdbc, ProjectionPositions positions, Duration refreshAhead) {
        this.jdbc = jdbc;
        this.table = new ConnectionViewTable(jdbc, refreshAhead);
        this.positions = positions;
    }

    @EventHandler
    public void on(AuthorizationStarted event, DomainEventMessage<?> message) {
        Applied applied = Applied.of(message);
        refused.check(event.connectionId().value(), message);
        batch(batch -> batch.create(event.connectionId(), applied, row -> {
            row.connectionId = event.connectionId();
            row.workspaceId = event.workspaceId();
            row.applicationId = event.applicationId();
            row.providerName = event.providerName();
            row.owner = event.owner();
            row.visibility = event.visibility();
            row.name = event.name();
            row.scopes = List.of();
            row.status = ConnectionStatus.PENDING;
            row.createdAt = applied.at();
            row.updatedAt = applied.at();
        }));
    }

    @EventHandler
    public void on(ReconnectStarted event, DomainEventMessage<?> message) {
        sequenceOnly(event.connectionId(), message);
    }

    @EventHandler
    public void on(CallbackAccepted event, DomainEventMessage<?> message) {
        sequenceOnly(event.connectionId(), message);
    }

    @EventHandler
    public void on(AuthorizationFailed event, DomainEventMessage<?> message) {
        // the connection keeps whatever it had before the attempt
        sequenceOnly(event.connectionId(), message);
    }

    @EventHandler
    public void on(ConnectionEstablished event, DomainEventMessage<?> message) {
        Applied applied = Applied.of(message);
        update(event.connectionId(), message, row -> {
            row.holdTokens(event.tokens(), applied.at(), applied.sequence());
            row.handle = event.handle();
            row.refreshDecidedAt = null;
            row.refreshLeaseExpiresAt = null;
        });
    }

    @EventHandler
    public void on(RefreshStarted event, DomainEventMessage<?> message) {
        Applied applied = Applied.of(message);
        update(event.connectionId(), message, row -> {
            row.refreshDecidedAt = applied.sequence();
            row.refreshLeaseExpiresAt = event.leaseExpiresAt();
        });
    }

    @EventHandler
    public void on(TokensRefreshed event, DomainEventMessage<?> message) {
        Applied applied = Applied.of(message);
        update(event.connectionId(), message, row -> {
            row.holdTokens(event.tokens(), applied.at(), applied.sequence());
            row.releaseLeaseOf(event.decidedAt());
        });
    }

    @EventHandler
    public void on(RefreshFailed event, DomainEventMessage<?> message) {
        Applied applied = Applied.of(message);
        update(event.connectionId(), message, row -> {
            row.failedToRefresh(applied.at(), event.reason(), event.retryAfter());
            row.releaseLeaseOf(event.decidedAt());
        });
    }

    @EventHandler
    public void on(ConnectionAuthFailed event, DomainEventMessage<?> message) {
        Applied applied = Applied.of(message);
        update(event.connectionId(), message, row -> {
            row.status = ConnectionStatus.AUTH_FAILED;
            row.authFailedAt = event.failedAt() == null ? applied.at() : event.failedAt();
            row.authFailedReason = event.reason();
            row.updatedAt = applied.at();
        });
    }

    @EventHandler
    public void on(ConnectionRenamed event, DomainEventMessage<?> message) {
        Applied applied = Applied.of(message);
        update(event.connectionId(), message, row -> {
            row.name = event.name();
            row.updatedAt = applied.at();
        });
    }

    @EventHandler
    public void on(VisibilityChanged event, DomainEventMessage<?> message) {
        Applied applied = Applied.of(message);
        update(event.connectionId(), message, row -> {
            row.visibility = event.visibility();
            row.updatedAt = applied.at();
        });
    }

    /**
     * A disconnect was decided: the row stays listed until it is recorded, but its tokens, about to be revoked at the
     * provider, are handed out no more.
     */
    @EventHandler
    public void on(RevocationStarted event, DomainEventMessage<?> message) {
        update(event.connectionId(), message, ConnectionState::dropTokens);
    }

    @EventHandler
    public void on(ConnectionRevoked event, DomainEventMessage<?> message) {
        Applied applied = Applied.of(message);
        refused.check(event.connectionId().value(), message);
        batch(batch -> batch.revoke(event.connectionId(), applied));
    }

    /**
     * Every other event (an application's) changes nothing here but still moves the position, so a caller may wait
     * on this projection for any position.
     */
    @EventHandler(payloadType = Object.class)
    public void on(EventMessage<?> otherEvent) {
        // the message, not its payload: nothing of the other aggregate is deserialized here
        long position = Applied.positionOf(otherEvent);
        batch(batch -> batch.pass(position));
    }

    @ResetHandler
    public void reset() {
        table.truncate();
        positions.forget(PROCESSING_GROUP);
        refused.clear();
    }

    private void sequenceOnly(ConnectionId id, DomainEventMessage<?> message) {
        update(id, message, row -> {});
    }

    private void update(ConnectionId id, DomainEventMessage<?> message, Consumer<ConnectionState> change) {
        refused.check(id.value(), message);
        Applied applied = Applied.of(message);
        batch(batch -> batch.update(id, applied, change));
    }

    private void batch(Consumer<ConnectionViewBatch> change) {
        BatchPerUnitOfWork.record(this, () -> new ConnectionViewBatch(jdbc, table, positions, refused), change);
    }
}
