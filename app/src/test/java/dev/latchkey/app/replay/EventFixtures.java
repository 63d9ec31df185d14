package dev.latchkey.app.replay;

import static dev.latchkey.app.TestMessages.asCommand;

import dev.latchkey.domain.application.ApplicationId;
import dev.latchkey.domain.application.ProviderName;
import dev.latchkey.domain.audit.AuditMetadata;
import dev.latchkey.domain.connection.AuthorizationStarted;
import dev.latchkey.domain.connection.CallbackAccepted;
import dev.latchkey.domain.connection.CallbackDecision;
import dev.latchkey.domain.connection.CompleteCallback;
import dev.latchkey.domain.connection.ConnectionAuthFailed;
import dev.latchkey.domain.connection.ConnectionEstablished;
import dev.latchkey.domain.connection.ConnectionEvent;
import dev.latchkey.domain.connection.ConnectionId;
import dev.latchkey.domain.connection.ConnectionRenamed;
import dev.latchkey.domain.connection.ConnectionRevoked;
import dev.latchkey.domain.connection.FailureKind;
import dev.latchkey.domain.connection.PendingAuthorization;
import dev.latchkey.domain.connection.ReconnectStarted;
import dev.latchkey.domain.connection.RecordCodeExchange;
import dev.latchkey.domain.connection.RefreshFailed;
import dev.latchkey.domain.connection.RefreshStarted;
import dev.latchkey.domain.connection.RevocationOutcome;
import dev.latchkey.domain.connection.StartAuthorization;
import dev.latchkey.domain.connection.TokenSet;
import dev.latchkey.domain.connection.TokensRefreshed;
import dev.latchkey.domain.connection.UserWorkspaceId;
import dev.latchkey.domain.connection.Visibility;
import dev.latchkey.domain.connection.VisibilityChanged;
import dev.latchkey.domain.connection.WorkspaceId;
import dev.latchkey.domain.secret.Sealed;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.MetaData;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Connections with long histories, fast: created through their commands, then grown by appending the events their
 * commands would have appended straight to the event store (through Axon, in transactions of a few hundred), so a
 * test gets thousands of events in seconds. Every event passes the subscribing handlers as usual.
 */
public final class EventFixtures {

    public static final UserWorkspaceId OWNER = UserWorkspaceId.of("uw-owner");
    private static final int EVENTS_PER_TRANSACTION = 500;

    private final CommandGateway commands;
    private final EventStore eventStore;
    private final TransactionTemplate transactions;

    public EventFixtures(
            CommandGateway commands, EventStore eventStore, PlatformTransactionManager transactionManager) {
        this.commands = commands;
        this.eventStore = eventStore;
        this.transactions = new TransactionTemplate(transactionManager);
    }

    public static Sealed sealed(String what) {
        return new Sealed("key-" + what, "CIPHERTEXT-" + what);
    }

    public static TokenSet tokens(int generation) {
        return new TokenSet(
                sealed("access-" + generation),
                sealed("refresh-" + generation),
                Instant.parse("2030-01-01T00:00:00Z").plusSeconds(generation),
                List.of("read", "write"),
                "Bearer",
                sealed("response-" + generation));
    }

    private static PendingAuthorization pending() {
        return new PendingAuthorization(
                "state-" + UUID.randomUUID(), "binding", null, Instant.now().plus(Duration.ofMinutes(10)), null);
    }

    /** Started, called back and established through its commands: sequences 0 to 2. */
    public ConnectionId activeConnection(WorkspaceId workspace) {
        ConnectionId id = ConnectionId.random();
        PendingAuthorization pending = pending();
        commands.sendAndWait(asCommand(
                new StartAuthorization(
                        id,
                        workspace,
                        ApplicationId.of("app-fixtures"),
                        ProviderName.of("linear"),
                        OWNER,
                        Visibility.USER,
                        "Linear",
                        pending),
                "member-1",
                workspace.value()));
        CallbackDecision decision = commands.sendAndWait(asCommand(
                new CompleteCallback(id, pending.stateDigest(), pending.bindingDigest()),
                "system:oauth-callback",
                workspace.value()));
        commands.sendAndWait(asCommand(
                new RecordCodeExchange(id, decision.decidedAt(), tokens(0), "member@example.com"),
                "system:oauth-callback",
                workspace.value()));
        return id;
    }

    /** Appends {@code count} refreshes (RefreshStarted, TokensRefreshed) from {@code from}; the last sequence. */
    public long appendRefreshes(ConnectionId id, long from, int count) {
        History history = new History(id, null, from);
        for (int generation = 1; generation <= count; generation++) {
            history.refreshed(generation);
        }
        append(history.events());
        return history.nextSequence() - 1;
    }

    public History newHistory(WorkspaceId workspace) {
        return new History(ConnectionId.random(), workspace, 0);
    }

    public void append(List<? extends EventMessage<?>> events) {
        for (int i = 0; i < events.size(); i += EVENTS_PER_TRANSACTION) {
            List<? extends EventMessage<?>> chunk =
                    events.subList(i, Math.min(events.size(), i + EVENTS_PER_TRANSACTION));
            transactions.executeWithoutResult(status -> eventStore.publish(chunk));
        }
    }

    /** One connection's events, with the sequence numbers and metadata its commands would have given them. */
    public static final class History {

        private final ConnectionId id;
        private final WorkspaceId workspace;
        private final List<DomainEventMessage<?>> events = new ArrayList<>();
        private long sequence;

        History(ConnectionId id, WorkspaceId workspace, long firstSequence) {
            this.id = id;
            this.workspace = workspace;
            this.sequence = firstSequence;
        }

        public ConnectionId id() {
            return id;
        }

        public List<DomainEventMessage<?>> events() {
            return events;
        }

        public long nextSequence() {
            return sequence;
        }

        public History started(String name, Visibility visibility) {
            return add(new AuthorizationStarted(
                    id,
                    workspace,
                    ApplicationId.of("app-fixtures"),
                    ProviderName.of("linear"),
                    OWNER,
                    visibility,
                    name,
                    pending()));
        }

        public History established(int generation) {
            add(new CallbackAccepted(id, "state"));
            return add(new ConnectionEstablished(id, tokens(generation), "member@example.com"));
        }

        public History refreshed(int generation) {
            long decidedAt = sequence;
            add(new RefreshStarted(id, Instant.parse("2030-01-01T00:00:30Z").plusSeconds(generation)));
            return add(new TokensRefreshed(id, decidedAt, tokens(generation)));
        }

        public History refreshFailed(FailureKind kind) {
            long decidedAt = sequence;
            add(new RefreshStarted(id, Instant.parse("2030-01-01T00:00:30Z")));
            return add(new RefreshFailed(id, decidedAt, kind, "http-503", Instant.parse("2030-01-01T00:01:00Z")));
        }

        public History authFailed() {
            return add(new ConnectionAuthFailed(id, "invalid_grant", Instant.parse("2030-01-02T00:00:00Z")));
        }

        public History reconnected(int generation) {
            add(new ReconnectStarted(id, OWNER, pending()));
            return established(generation);
        }

        public History renamed(String name) {
            return add(new ConnectionRenamed(id, name));
        }

        public History visibility(Visibility visibility) {
            return add(new VisibilityChanged(id, visibility));
        }

        public History revoked() {
            return add(new ConnectionRevoked(id, RevocationOutcome.REVOKED, RevocationOutcome.UNSUPPORTED));
        }

        private History add(ConnectionEvent event) {
            MetaData metaData = MetaData.with(AuditMetadata.ACTOR, "system:fixtures");
            if (workspace != null) {
                metaData = metaData.and(AuditMetadata.WORKSPACE_ID, workspace.value());
            }
            events.add(new GenericDomainEventMessage<>("Connection", id.value(), sequence++, event, metaData));
            return this;
        }
    }
}
