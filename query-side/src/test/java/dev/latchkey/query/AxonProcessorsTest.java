package dev.latchkey.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.domain.application.ApplicationId;
import dev.latchkey.domain.application.ApplicationInstalled;
import dev.latchkey.domain.application.Manifest;
import dev.latchkey.domain.application.ProviderName;
import dev.latchkey.domain.connection.AuthorizationStarted;
import dev.latchkey.domain.connection.CallbackAccepted;
import dev.latchkey.domain.connection.ConnectionEstablished;
import dev.latchkey.domain.connection.ConnectionEvent;
import dev.latchkey.domain.connection.ConnectionId;
import dev.latchkey.domain.connection.ConnectionRenamed;
import dev.latchkey.domain.connection.ConnectionRevoked;
import dev.latchkey.domain.connection.PendingAuthorization;
import dev.latchkey.domain.connection.RefreshStarted;
import dev.latchkey.domain.connection.RevocationOutcome;
import dev.latchkey.domain.connection.TokenSet;
import dev.latchkey.domain.connection.TokensRefreshed;
import dev.latchkey.domain.connection.UserWorkspaceId;
import dev.latchkey.domain.connection.Visibility;
import dev.latchkey.domain.connection.WorkspaceId;
import dev.latchkey.domain.secret.Sealed;
import dev.latchkey.query.application.ApplicationQueries;
import dev.latchkey.query.application.ApplicationRow;
import dev.latchkey.query.application.ApplicationViewProjection;
import dev.latchkey.query.application.GetApplication;
import dev.latchkey.query.authorization.AuthorizationState;
import dev.latchkey.query.authorization.AuthorizationStates;
import dev.latchkey.query.authorization.FindAuthorizationState;
import dev.latchkey.query.connection.ConnectionList;
import dev.latchkey.query.connection.ConnectionQueries;
import dev.latchkey.query.connection.ConnectionRow;
import dev.latchkey.query.connection.ConnectionViewProjection;
import dev.latchkey.query.connection.CountConnections;
import dev.latchkey.query.connection.GetConnection;
import dev.latchkey.query.connection.ListConnections;
import dev.latchkey.query.connection.Viewer;
import dev.latchkey.query.projection.ProjectionPositions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.axonframework.config.Configuration;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.queryhandling.QueryGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The query side inside Axon as the application runs it: pooled streaming processors for the views, a subscribing
 * one for the authorization states, the query bus in front of the query handlers, commands' transactions around
 * publication.
 */
class AxonProcessorsTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final WorkspaceId WORKSPACE = WorkspaceId.of("ws-1");
    private static final ApplicationId APP = ApplicationId.of("b6f1c0de-0000-4000-8000-000000000001");
    private static final ProviderName LINEAR = ProviderName.of("linear");
    private static final UserWorkspaceId ALICE = UserWorkspaceId.of("uw-alice");

    private final ProjectionPositions positions = new ProjectionPositions(TestDatabase.jdbc());
    private final Map<String, Long> sequences = new HashMap<>();
    private Configuration axon;

    @BeforeEach
    void startAxon() {
        TestDatabase.clear();
        axon = DefaultConfigurer.defaultConfiguration()
                .configureEmbeddedEventStore(c -> new InMemoryEventStorageEngine())
                .configureTransactionManager(c -> TestDatabase.axonTransactions())
                .registerQueryHandler(c -> new ConnectionQueries(TestDatabase.jdbc()))
                .registerQueryHandler(c -> new ApplicationQueries(TestDatabase.jdbc()))
                .eventProcessing(processing -> processing
                        .registerPooledStreamingEventProcessor(
                                ConnectionViewProjection.PROCESSING_GROUP,
                                Configuration::eventStore,
                                (c, builder) -> builder.batchSize(100).initialSegmentCount(1))
                        .registerPooledStreamingEventProcessor(
                                ApplicationViewProjection.PROCESSING_GROUP,
                                Configuration::eventStore,
                                (c, builder) -> builder.batchSize(100).initialSegmentCount(1))
                        .registerSubscribingEventProcessor(AuthorizationStates.PROCESSING_GROUP)
                        .registerDefaultListenerInvocationErrorHandler(c -> PropagatingErrorHandler.instance())
                        .registerEventHandler(c -> new ConnectionViewProjection(TestDatabase.jdbc(), positions))
                        .registerEventHandler(c -> new ApplicationViewProjection(TestDatabase.jdbc(), positions))
                        .registerEventHandler(c -> new AuthorizationStates(TestDatabase.jdbc())))
                .buildConfiguration();
        axon.start();
    }

    @AfterEach
    void stopAxon() {
        axon.shutdown();
    }

    @Test
    void viewsCatchUpWithWhatCommandsAppendedAndAnswerOnTheQueryBus() throws Exception {
        ConnectionId id = ConnectionId.random();

        long installed = publishAsACommand(application(new ApplicationInstalled(APP, manifest())));
        long position = publishAsACommand(
                connection(started(id, "state-1")),
                connection(new CallbackAccepted(id, "state-1")),
                connection(new ConnectionEstablished(id, tokens("1"), "alice@example.com")));

        assertThat(positions.awaitPosition(ConnectionViewProjection.PROCESSING_GROUP, position, PATIENCE))
                .isTrue();
        // the application view waits for application events only: its position is the install's
        assertThat(positions.awaitPosition(ApplicationViewProjection.PROCESSING_GROUP, installed, PATIENCE))
                .isTrue();
        QueryGateway queries = axon.queryGateway();
        ConnectionList list = queries.query(
                        new ListConnections(WORKSPACE, APP, LINEAR, null, Viewer.member(ALICE)),
                        ResponseTypes.instanceOf(ConnectionList.class))
                .get();
        Optional<ConnectionRow> one = queries.query(
                        new GetConnection(WORKSPACE, id, Viewer.member(ALICE)),
                        ResponseTypes.optionalInstanceOf(ConnectionRow.class))
                .get();
        Long count = queries.query(new CountConnections(WORKSPACE, APP, LINEAR), Long.class)
                .get();
        Optional<ApplicationRow> application = queries.query(
                        new GetApplication(APP), ResponseTypes.optionalInstanceOf(ApplicationRow.class))
                .get();
        assertThat(list.items()).hasSize(1);
        assertThat(one).map(row -> row.connection().handle()).contains("alice@example.com");
        assertThat(count).isEqualTo(1);
        assertThat(application).map(row -> row.application().displayName()).contains("Linear");
    }

    @Test
    void authorizationStateIsThereAsSoonAsTheCommandCommits() {
        ConnectionId id = ConnectionId.random();

        publishAsACommand(connection(started(id, "state-1")));

        AuthorizationStates states = new AuthorizationStates(TestDatabase.jdbc());
        assertThat(states.handle(new FindAuthorizationState("state-1")))
                .map(AuthorizationState::connectionId)
                .contains(id);

        publishAsACommand(connection(new CallbackAccepted(id, "state-1")));

        assertThat(states.handle(new FindAuthorizationState("state-1"))).isEmpty();
    }

    @Test
    void replayAfterAResetRebuildsTheSameView() {
        List<ConnectionId> ids = new ArrayList<>();
        long position = -1;
        for (int i = 0; i < 30; i++) {
            ConnectionId id = ConnectionId.random();
            ids.add(id);
            position = publishAsACommand(
                    connection(started(id, "state-" + i)),
                    connection(new CallbackAccepted(id, "state-" + i)),
                    connection(new ConnectionEstablished(id, tokens("1"), "person-" + i)),
                    connection(new RefreshStarted(id, Instant.now().plusSeconds(30))),
                    connection(new TokensRefreshed(id, 3, tokens("2"))),
                    connection(new ConnectionRenamed(id, "Linear #" + i)));
        }
        position = publishAsACommand(
                connection(new ConnectionRevoked(ids.get(0), RevocationOutcome.REVOKED, RevocationOutcome.REVOKED)));
        assertThat(positions.awaitPosition(ConnectionViewProjection.PROCESSING_GROUP, position, PATIENCE))
                .isTrue();
        List<ConnectionRow> before = everyConnection();

        PooledStreamingEventProcessor processor = axon.eventProcessingConfiguration()
                .eventProcessor(ConnectionViewProjection.PROCESSING_GROUP, PooledStreamingEventProcessor.class)
                .orElseThrow();
        processor.shutDown();
        processor.resetTokens();
        assertThat(everyConnection()).isEmpty();
        processor.start();

        assertThat(positions.awaitPosition(ConnectionViewProjection.PROCESSING_GROUP, position, PATIENCE))
                .isTrue();
        assertThat(before).hasSize(29);
        assertThat(everyConnection()).isEqualTo(before);
    }

    private List<ConnectionRow> everyConnection() {
        return new ConnectionQueries(TestDatabase.jdbc())
                .handle(new ListConnections(WORKSPACE, APP, null, null, Viewer.member(ALICE)))
                .items();
    }

    /** Publishes as a command handler would, in a unit of work and transaction; answers the last global position. */
    private long publishAsACommand(DomainEventMessage<?>... events) {
        UnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
        unitOfWork.attachTransaction(TestDatabase.axonTransactions());
        unitOfWork.execute(() -> axon.eventStore().publish(events));
        return axon.eventStore().createHeadToken().position().orElseThrow();
    }

    private DomainEventMessage<?> connection(ConnectionEvent event) {
        return message("Connection", event.connectionId().value(), event);
    }

    private DomainEventMessage<?> application(ApplicationInstalled event) {
        return message("Application", event.applicationId().value(), event);
    }

    private DomainEventMessage<?> message(String type, String aggregateId, Object payload) {
        long sequence = sequences.merge(aggregateId, 0L, (old, zero) -> old + 1);
        return new GenericDomainEventMessage<>(type, aggregateId, sequence, payload);
    }

    private static AuthorizationStarted started(ConnectionId id, String stateDigest) {
        return new AuthorizationStarted(
                id,
                WORKSPACE,
                APP,
                LINEAR,
                ALICE,
                Visibility.USER,
                "Linear #1",
                new PendingAuthorization(
                        stateDigest, "binding", null, Instant.now().plusSeconds(600), null));
    }

    private static TokenSet tokens(String generation) {
        return new TokenSet(
                new Sealed("key-1", "access-" + generation),
                new Sealed("key-1", "refresh-" + generation),
                Instant.now().plusSeconds(3600),
                List.of("read"),
                "Bearer",
                null);
    }

    private static Manifest manifest() {
        return new Manifest(APP.value(), "Linear", "Connect Linear.", Map.of(), List.of(), List.of());
    }
}
