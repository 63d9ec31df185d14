package dev.latchkey.app.audit;

import dev.latchkey.domain.audit.AuditMetadata;
import dev.latchkey.domain.connection.ConnectionEvent;
import dev.latchkey.domain.connection.ConnectionId;
import dev.latchkey.domain.connection.WorkspaceId;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventUtils;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.TrackedDomainEventData;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.messaging.MetaData;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

/**
 * The event store as audit consumers read it: one connection's history, or a workspace's stream from a position.
 * Rows are read with SQL (filtered by workspace, ordered, bounded) and then go through Axon's upcasters and event
 * serializer like any other read of the store, so an old revision reads as the current one.
 */
@Component
public class AuditLog {

    private static final String COLUMNS = "e.global_index, e.event_identifier, e.aggregate_identifier, "
            + "e.sequence_number, e.type, e.time_stamp, e.payload_type, e.payload_revision, e.payload, e.meta_data";
    private static final byte[] NO_META_DATA = "{}".getBytes(StandardCharsets.UTF_8);
    private static final RowMapper<TrackedDomainEventData<byte[]>> ROW = AuditLog::row;

    private final JdbcTemplate jdbc;
    private final ConnectionWorkspaces workspaces;
    private final SettledHorizon horizon;
    private final org.axonframework.config.Configuration axon;
    private final AuditPayloads payloads = new AuditPayloads();

    public AuditLog(
            JdbcTemplate jdbc,
            ConnectionWorkspaces workspaces,
            SettledHorizon horizon,
            org.axonframework.config.Configuration axon) {
        this.jdbc = jdbc;
        this.workspaces = workspaces;
        this.horizon = horizon;
        this.axon = axon;
    }

    /** A page of a workspace's stream; pass {@code next} as the following page's {@code after}. */
    public record Page(List<AuditEvent> events, long next) {}

    /** Every event of the connection, in order; empty when it is not a connection of {@code workspace}. */
    public Optional<List<AuditEvent>> history(WorkspaceId workspace, ConnectionId connection) {
        if (!workspaces.belongsTo(connection, workspace)) {
            return Optional.empty();
        }
        // one aggregate's events are committed in sequence order (each append checks the one before), so no horizon
        List<TrackedDomainEventData<byte[]>> rows = jdbc.query(
                "select " + COLUMNS + " from domain_event_entry e where e.aggregate_identifier = ?"
                        + " order by e.sequence_number",
                ROW,
                connection.value());
        return Optional.of(read(rows));
    }

    /**
     * Up to {@code limit} events of the workspace's connections after {@code after}, in global order, all at or below
     * the settled horizon, so that paging with {@code next} neither skips nor repeats an event.
     */
    public Page after(WorkspaceId workspace, long after, int limit) {
        long settled = horizon.settledPosition();
        if (settled <= after) {
            return new Page(List.of(), after);
        }
        List<TrackedDomainEventData<byte[]>> rows = jdbc.query(
                "select " + COLUMNS + " from domain_event_entry e"
                        + " join connection_workspace w on w.connection_id = e.aggregate_identifier"
                        + " where w.workspace_id = ? and e.global_index > ? and e.global_index <= ?"
                        + " order by e.global_index limit ?",
                ROW,
                workspace.value(),
                after,
                settled,
                limit);
        // a short page has read everything up to the horizon: the next one starts there, past other workspaces
        long next = rows.size() == limit ? position(rows.get(rows.size() - 1)) : settled;
        return new Page(read(rows), next);
    }

    private List<AuditEvent> read(List<TrackedDomainEventData<byte[]>> rows) {
        return EventUtils.upcastAndDeserializeTrackedEvents(rows.stream(), axon.eventSerializer(), axon.upcasterChain())
                .map(this::toAuditEvent)
                .toList();
    }

    private AuditEvent toAuditEvent(TrackedEventMessage<?> message) {
        DomainEventMessage<?> event = (DomainEventMessage<?>) message;
        Object payload = event.getPayload();
        MetaData metaData = event.getMetaData();
        return new AuditEvent(
                message.trackingToken().position().orElseThrow(),
                event.getSequenceNumber(),
                // only the known events are shown; anything else (a type no longer on the classpath) shows no fields
                payload instanceof ConnectionEvent ? payload.getClass().getSimpleName() : "Unknown",
                event.getTimestamp(),
                text(metaData.get(AuditMetadata.ACTOR)),
                text(metaData.get(AuditMetadata.CORRELATION_ID)),
                event.getAggregateIdentifier(),
                payload instanceof ConnectionEvent ? payloads.toJson(payload) : null);
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    private static long position(TrackedDomainEventData<byte[]> row) {
        return row.trackingToken().position().orElseThrow();
    }

    private static TrackedDomainEventData<byte[]> row(ResultSet rs, int rowNum) throws SQLException {
        byte[] metaData = rs.getBytes("meta_data");
        return new TrackedDomainEventData<>(
                new GlobalSequenceTrackingToken(rs.getLong("global_index")),
                new GenericDomainEventEntry<>(
                        rs.getString("type"),
                        rs.getString("aggregate_identifier"),
                        rs.getLong("sequence_number"),
                        rs.getString("event_identifier"),
                        rs.getString("time_stamp"),
                        rs.getString("payload_type"),
                        rs.getString("payload_revision"),
                        rs.getBytes("payload"),
                        metaData == null ? NO_META_DATA : metaData));
    }
}
