package dev.latchkey.app.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latchkey.domain.application.ApplicationUninstalled;
import dev.latchkey.domain.audit.AuditMetadata;
import dev.latchkey.domain.connection.AuthorizationStarted;
import dev.latchkey.domain.connection.ConnectionAuthFailed;
import dev.latchkey.domain.connection.ConnectionEstablished;
import dev.latchkey.domain.connection.ConnectionRenamed;
import dev.latchkey.domain.connection.ConnectionRevoked;
import dev.latchkey.domain.connection.ConnectionStatus;
import dev.latchkey.domain.connection.RefreshFailed;
import dev.latchkey.domain.connection.TokensRefreshed;
import dev.latchkey.domain.connection.VisibilityChanged;
import dev.latchkey.query.projection.Savepoints;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Turns events into webhook deliveries, in the processor's transaction (the event store is the outbox: a delivery is
 * written together with the processor's position, once, and a node dying in between loses nothing). Keeps in
 * {@code webhook_subject} what it knows of each connection, as of the events applied so far, so a body says what
 * was true at its event and each state's entry is announced once. Runs in one segment, so deliveries are created in
 * the order of the events. A reset replays nothing ({@link DisallowReplay}): a webhook announces what happens once.
 */
@Component
@ProcessingGroup(WebhookDeliveryProcess.PROCESSING_GROUP)
public class WebhookDeliveryProcess {

    public static final String PROCESSING_GROUP = "webhook-deliveries";

    private static final Logger log = LoggerFactory.getLogger(WebhookDeliveryProcess.class);

    /** Every key of a body's {@code data}, present in each (null when it does not apply). */
    static final List<String> DATA_KEYS = List.of(
            "connectionId",
            "applicationId",
            "workspaceId",
            "providerName",
            "userWorkspaceId",
            "visibility",
            "status",
            "name",
            "handle",
            "reason");

    /** A connection as the processor knows it. */
    record Subject(
            String connectionId,
            String workspaceId,
            String applicationId,
            String providerName,
            String userWorkspaceId,
            String visibility,
            String status,
            String name,
            String handle,
            boolean wasActive,
            boolean retrying,
            boolean deletedAnnounced) {}

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final WebhookDispatcher dispatcher;
    private final Clock clock;

    public WebhookDeliveryProcess(JdbcTemplate jdbc, ObjectMapper json, WebhookDispatcher dispatcher, Clock clock) {
        this.jdbc = jdbc;
        this.json = json;
        this.dispatcher = dispatcher;
        this.clock = clock;
    }

    @EventHandler
    @DisallowReplay
    public void on(AuthorizationStarted event, EventMessage<?> message) {
        guarded(message, event.connectionId().value(), () -> {
            jdbc.update(
                    """
                    insert into webhook_subject (connection_id, workspace_id, application_id, provider_name,
                                                 user_workspace_id, visibility, status, name, created_at)
                    values (?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (connection_id) do nothing
                    """,
                    event.connectionId().value(),
                    event.workspaceId().value(),
                    event.applicationId().value(),
                    event.providerName().value(),
                    event.owner() == null ? null : event.owner().value(),
                    event.visibility().wire(),
                    ConnectionStatus.PENDING.wire(),
                    event.name(),
                    Timestamp.from(message.getTimestamp()));
        });
    }

    @EventHandler
    @DisallowReplay
    public void on(ConnectionEstablished event, EventMessage<?> message) {
        guarded(
                message,
                event.connectionId().value(),
                () -> change(
                                event.connectionId().value(),
                                "status = 'active', handle = ?, was_active = true, retrying = false,"
                                        + " refresh_token_expires_at = ?",
                                event.handle(),
                                timestamp(event.tokens().refreshTokenExpiresAt()))
                        .ifPresent(change -> announce(
                                change.before().wasActive()
                                        ? WebhookEventType.CONNECTION_RECONNECTED
                                        : WebhookEventType.CONNECTION_CREATED,
                                message,
                                change.after(),
                                null)));
    }

    @EventHandler
    @DisallowReplay
    public void on(TokensRefreshed event, EventMessage<?> message) {
        change(
                        event.connectionId().value(),
                        "retrying = false, refresh_token_expires_at = ?",
                        timestamp(event.tokens().refreshTokenExpiresAt()))
                .filter(change -> change.before().retrying())
                .ifPresent(change -> announce(WebhookEventType.CONNECTION_RECOVERED, message, change.after(), null));
    }

    /** The first failed refresh of an active connection that was not retrying already. */
    @EventHandler
    @DisallowReplay
    public void on(RefreshFailed event, EventMessage<?> message) {
        guarded(
                message,
                event.connectionId().value(),
                () -> jdbc.query(
                                "update webhook_subject set retrying = true"
                                        + " where connection_id = ? and status = 'active' and not retrying returning *",
                                (rs, n) -> subject(rs),
                                event.connectionId().value())
                        .forEach(after ->
                                announce(WebhookEventType.CONNECTION_RETRYING, message, after, event.reason())));
    }

    @EventHandler
    @DisallowReplay
    public void on(ConnectionAuthFailed event, EventMessage<?> message) {
        guarded(
                message,
                event.connectionId().value(),
                () -> change(event.connectionId().value(), "status = 'auth-failed', retrying = false")
                        .ifPresent(change -> announce(
                                WebhookEventType.CONNECTION_AUTH_FAILED, message, change.after(), event.reason())));
    }

    @EventHandler
    @DisallowReplay
    public void on(ConnectionRenamed event, EventMessage<?> message) {
        guarded(
                message,
                event.connectionId().value(),
                () -> change(event.connectionId().value(), "name = ?", event.name())
                        .ifPresent(change -> updated(change.after(), message, true)));
    }

    @EventHandler
    @DisallowReplay
    public void on(VisibilityChanged event, EventMessage<?> message) {
        // the last event an UpdateConnection applies: nothing of its command follows it
        change(
                        event.connectionId().value(),
                        "visibility = ?",
                        event.visibility().wire())
                .ifPresent(change -> updated(change.after(), message, false));
    }

    @EventHandler
    @DisallowReplay
    public void on(ConnectionRevoked event, EventMessage<?> message) {
        change(event.connectionId().value(), "status = 'revoked', retrying = false, deleted_announced = true")
                // a connection that never became active was never announced: its end is not either
                .filter(change ->
                        change.before().wasActive() && !change.before().deletedAnnounced())
                .ifPresent(change -> announce(WebhookEventType.CONNECTION_DELETED, message, change.after(), null));
    }

    /** What a change needs of the subject as it was: the states whose entry is announced. */
    record Before(boolean wasActive, boolean retrying, boolean deletedAnnounced) {}

    /** A subject as it was before a change, and after. */
    record Change(Before before, Subject after) {}

    /**
     * Changes a subject in one statement and answers it before and after; empty when the connection is unknown here
     * (started before this process existed and never seen since).
     */
    private Optional<Change> change(String connectionId, String set, Object... arguments) {
        Object[] all = java.util.Arrays.copyOf(arguments, arguments.length + 1);
        all[arguments.length] = connectionId;
        return jdbc
                .query(
                        "update webhook_subject s set " + set
                                + " from (select * from webhook_subject where connection_id = ? for update) b"
                                + " where s.connection_id = b.connection_id"
                                + " returning b.was_active as before_was_active, b.retrying as before_retrying,"
                                + " b.deleted_announced as before_deleted_announced, s.*",
                        (rs, n) -> {
                            Subject after = subject(rs);
                            Before before = new Before(
                                    rs.getBoolean("before_was_active"),
                                    rs.getBoolean("before_retrying"),
                                    rs.getBoolean("before_deleted_announced"));
                            return new Change(before, after);
                        },
                        all) // the SET's arguments bind first, then the sub-select's id
                .stream()
                .findFirst();
    }

    /**
     * {@code connection.deleted} for each announced connection of the application that is not deleted yet (the
     * uninstall process revokes them afterwards; their own revocations announce nothing more), then
     * {@code application.uninstalled}, which waits for all of them; the endpoints take nothing new after it and are
     * deleted once it is delivered.
     */
    @EventHandler
    @DisallowReplay
    public void on(ApplicationUninstalled event, EventMessage<?> message) {
        guarded(message, event.applicationId().value(), () -> {
            String application = event.applicationId().value();
            List<Subject> announced = new java.util.ArrayList<>(jdbc.query("""
                    update webhook_subject set deleted_announced = true
                    where application_id = ? and was_active and not deleted_announced and status <> 'revoked'
                    returning *
                    """, (rs, n) -> subject(rs), application));
            announced.sort(java.util.Comparator.comparing(Subject::connectionId));
            for (Subject subject : announced) {
                insert(
                        WebhookEventType.CONNECTION_DELETED,
                        message.getIdentifier() + ":" + subject.connectionId(),
                        message.getTimestamp(),
                        application,
                        subject.connectionId(),
                        body(WebhookEventType.CONNECTION_DELETED, message.getTimestamp(), subject, "revoked", null));
            }
            insert(
                    WebhookEventType.APPLICATION_UNINSTALLED,
                    message.getIdentifier(),
                    message.getTimestamp(),
                    application,
                    null,
                    applicationBody(message.getTimestamp(), application));
            jdbc.update(
                    "update webhook_endpoint set uninstalled_at = ? where application_id = ? and uninstalled_at is null",
                    Timestamp.from(message.getTimestamp()),
                    application);
        });
    }

    /**
     * One {@code connection.updated} per command: a PATCH that renames and shares sends one, announced by the last
     * of its events (read from the event store: the command's events commit together, so the next one is there),
     * whatever batches the processor splits them into.
     */
    private void updated(Subject after, EventMessage<?> message, boolean mayBeFollowed) {
        Object correlation = message.getMetaData().get(AuditMetadata.CORRELATION_ID);
        if (mayBeFollowed
                && correlation != null
                && message instanceof DomainEventMessage<?> domain
                && sameCommandChangesMore(domain, correlation.toString())) {
            return;
        }
        announce(
                WebhookEventType.CONNECTION_UPDATED,
                correlation == null ? message.getIdentifier() : "command:" + correlation,
                message.getTimestamp(),
                after,
                null);
    }

    private boolean sameCommandChangesMore(DomainEventMessage<?> message, String correlation) {
        return Boolean.TRUE.equals(jdbc.query(
                """
                select payload_type in (?, ?)
                       and convert_from(meta_data, 'UTF8')::jsonb ->> ? = ? as more
                from domain_event_entry where aggregate_identifier = ? and sequence_number = ?
                """,
                rs -> rs.next() && rs.getBoolean(1),
                ConnectionRenamed.class.getName(),
                VisibilityChanged.class.getName(),
                AuditMetadata.CORRELATION_ID,
                correlation,
                message.getAggregateIdentifier(),
                message.getSequenceNumber() + 1));
    }

    /**
     * Applies one event that carries text inside a savepoint (events without text, the refresh's above all, go
     * without: only an outage makes them fail). An event whose values the database refuses (a poison event: text
     * PostgreSQL cannot store, which the API never lets in) is rolled back, logged by type and sequence, never by
     * payload, and announces nothing: every other connection goes on. Any other failure fails the batch, which the
     * processor retries.
     */
    private void guarded(EventMessage<?> message, String sequence, Runnable apply) {
        Savepoints.attempt(jdbc, apply).ifPresent(failure -> {
            if (!refusesTheData(failure)) {
                // an outage, a deadlock with another node briefly holding the segment too, anything else: the batch
                // fails and is retried, so no event is skipped and the deliveries keep the order of the events
                throw failure;
            }
            log.warn(
                    "{}: {} of {} could not be applied and announces nothing ({})",
                    PROCESSING_GROUP,
                    message.getPayloadType().getSimpleName(),
                    sequence,
                    failure.getClass().getSimpleName());
        });
    }

    /**
     * Whether PostgreSQL refused the values themselves (SQLSTATE class 22, data exception: a NUL in a text, a value
     * too long): applying the event again would fail again.
     */
    static boolean refusesTheData(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.sql.SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState().startsWith("22");
            }
        }
        return false;
    }

    /** A delivery of the connection as it is now, after the event, to each endpoint that wants the type. */
    /** A delivery of what the event made of the connection, keyed by the event. */
    private void announce(WebhookEventType type, EventMessage<?> message, Subject now, String reason) {
        announce(type, message.getIdentifier(), message.getTimestamp(), now, reason);
    }

    private void announce(WebhookEventType type, String eventKey, Instant at, Subject now, String reason) {
        insert(type, eventKey, at, now.applicationId(), now.connectionId(), body(type, at, now, now.status(), reason));
    }

    /**
     * Called by the dispatcher when a refresh token's end nears: {@code connection.expiring}, once per expiry. Runs in
     * the caller's transaction, which holds the subject's row.
     */
    void announceExpiring(String connectionId, Instant refreshTokenExpiresAt, Instant now) {
        jdbc.query(
                        "update webhook_subject set expiring_announced_for = ? where connection_id = ? returning *",
                        (rs, n) -> subject(rs),
                        Timestamp.from(refreshTokenExpiresAt),
                        connectionId)
                .forEach(subject -> announce(
                        WebhookEventType.CONNECTION_EXPIRING,
                        "expiring:" + connectionId + ":" + refreshTokenExpiresAt.toEpochMilli(),
                        now,
                        subject,
                        null));
    }

    private void insert(
            WebhookEventType type, String eventKey, Instant at, String application, String connectionId, String body) {
        Timestamp now = Timestamp.from(clock.instant());
        int inserted = jdbc.update(
                """
                insert into webhook_delivery (id, webhook_id, endpoint_id, event_key, event_type, connection_id,
                                              ordering_key, body, event_at, status, next_attempt_at, created_at,
                                              updated_at)
                select 'dlv_' || u, 'msg_' || u, id, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?
                from (select e.id, replace(gen_random_uuid()::text, '-', '') as u from webhook_endpoint e
                      where e.application_id = ? and e.enabled and e.uninstalled_at is null and e.created_at <= ?
                        and (e.event_types is null or jsonb_exists(e.event_types, ?))
                      order by e.created_at, e.id) endpoints
                on conflict (endpoint_id, event_key) do nothing
                """,
                eventKey,
                type.wire(),
                connectionId,
                connectionId == null ? "application:" + application : connectionId,
                body,
                Timestamp.from(at),
                now,
                now,
                now,
                application,
                Timestamp.from(at),
                type.wire());
        if (inserted > 0) {
            wakeDispatcherAfterCommit();
        }
    }

    private String body(WebhookEventType type, Instant at, Subject subject, String status, String reason) {
        ObjectNode body = envelope(type, at);
        ObjectNode data = body.putObject("data");
        data.put("connectionId", subject.connectionId());
        data.put("applicationId", subject.applicationId());
        data.put("workspaceId", subject.workspaceId());
        data.put("providerName", subject.providerName());
        data.put("userWorkspaceId", subject.userWorkspaceId());
        data.put("visibility", subject.visibility());
        data.put("status", status);
        data.put("name", subject.name());
        data.put("handle", subject.handle());
        data.put("reason", reason);
        return text(body);
    }

    private String applicationBody(Instant at, String application) {
        ObjectNode body = envelope(WebhookEventType.APPLICATION_UNINSTALLED, at);
        ObjectNode data = body.putObject("data");
        for (String key : DATA_KEYS) {
            data.putNull(key);
        }
        data.put("applicationId", application);
        return text(body);
    }

    private ObjectNode envelope(WebhookEventType type, Instant at) {
        ObjectNode body = json.createObjectNode();
        body.put("type", type.wire());
        body.put("timestamp", at.toString());
        return body;
    }

    private String text(ObjectNode body) {
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Subject subject(ResultSet rs) throws SQLException {
        return new Subject(
                rs.getString("connection_id"),
                rs.getString("workspace_id"),
                rs.getString("application_id"),
                rs.getString("provider_name"),
                rs.getString("user_workspace_id"),
                rs.getString("visibility"),
                rs.getString("status"),
                rs.getString("name"),
                rs.getString("handle"),
                rs.getBoolean("was_active"),
                rs.getBoolean("retrying"),
                rs.getBoolean("deleted_announced"));
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    /** Once per transaction, however many deliveries it wrote; a rolled-back batch wakes nobody. */
    private void wakeDispatcherAfterCommit() {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            dispatcher.wake();
            return;
        }
        if (TransactionSynchronizationManager.hasResource(this)) {
            return;
        }
        TransactionSynchronizationManager.bindResource(this, Boolean.TRUE);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                TransactionSynchronizationManager.unbindResourceIfPossible(WebhookDeliveryProcess.this);
                if (status == STATUS_COMMITTED) {
                    dispatcher.wake();
                }
            }
        });
    }
}
