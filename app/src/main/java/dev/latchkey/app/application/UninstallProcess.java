package dev.latchkey.app.application;

import dev.latchkey.domain.application.ApplicationUninstalled;
import dev.latchkey.domain.audit.AuditMetadata;
import dev.latchkey.query.connection.ConnectionQueries;
import dev.latchkey.query.connection.ConnectionRow;
import dev.latchkey.query.connection.ConnectionViewProjection;
import dev.latchkey.query.connection.ListConnectionsOfApplication;
import dev.latchkey.query.projection.ProjectionPositions;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The first step of an uninstall, driven by the event store: when {@link ApplicationUninstalled} is applied, one
 * {@code pending_revocation} row per connection of the application, for {@link UninstallRevocations} on any node.
 * Runs in a pooled streaming processor, so an uninstall is never lost with a node; each insert is idempotent, so a
 * redelivered event adds nothing. A reset of this group replays nothing ({@link DisallowReplay}): an uninstall acts
 * once, when it happens; only connections started before it are its own (the application may be installed again).
 */
@Component
@ProcessingGroup(UninstallProcess.PROCESSING_GROUP)
public class UninstallProcess {

    public static final String PROCESSING_GROUP = "uninstall-process";

    /** The connection view must have applied every event before the uninstall: it lists the connections. */
    static final Duration VIEW_WAIT = Duration.ofSeconds(5);

    private final ConnectionQueries connections;
    private final ProjectionPositions positions;
    private final JdbcTemplate jdbc;
    private final Clock clock;

    public UninstallProcess(
            ConnectionQueries connections, ProjectionPositions positions, JdbcTemplate jdbc, Clock clock) {
        this.connections = connections;
        this.positions = positions;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @EventHandler
    @DisallowReplay
    public void on(ApplicationUninstalled event, DomainEventMessage<?> message) {
        if (message instanceof TrackedEventMessage<?> tracked
                && tracked.trackingToken().position().isPresent()
                && !positions.awaitPosition(
                        ConnectionViewProjection.PROCESSING_GROUP,
                        tracked.trackingToken().position().getAsLong(),
                        VIEW_WAIT)) {
            // the processor retries the event later; nothing is written meanwhile
            throw new IllegalStateException("the connection view is behind the uninstall of " + event.applicationId());
        }
        Object admin = message.getMetaData().get(AuditMetadata.ACTOR);
        String requestedBy = admin == null ? "unknown" : admin.toString();
        Timestamp now = Timestamp.from(clock.instant());
        for (ConnectionRow row : connections
                .handle(new ListConnectionsOfApplication(event.applicationId()))
                .items()) {
            if (row.connection().createdAt().isAfter(message.getTimestamp())) {
                continue; // started after a reinstall: not this uninstall's
            }
            jdbc.update(
                    """
                    insert into pending_revocation (connection_id, workspace_id, application_id, provider_name,
                                                    uninstall_sequence, requested_by, due_at, created_at)
                    values (?, ?, ?, ?, ?, ?, ?, ?) on conflict (connection_id) do nothing
                    """,
                    row.connection().id().value(),
                    row.connection().workspaceId().value(),
                    event.applicationId().value(),
                    row.connection().providerName().value(),
                    message.getSequenceNumber(),
                    requestedBy,
                    now,
                    now);
        }
    }
}
