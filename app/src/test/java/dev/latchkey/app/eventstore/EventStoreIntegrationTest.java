package dev.latchkey.app.eventstore;

import static dev.latchkey.app.TestMessages.asCommand;
import static dev.latchkey.app.TestMessages.linearManifest;
import static dev.latchkey.app.TestMessages.newApplicationId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.app.LatchkeySpringTest;
import dev.latchkey.app.persistence.EmbeddedPostgresServer;
import dev.latchkey.domain.application.ApplicationId;
import dev.latchkey.domain.application.ApplicationInstalled;
import dev.latchkey.domain.application.ConnectionProviderDefinition;
import dev.latchkey.domain.application.FieldError;
import dev.latchkey.domain.application.InstallApplication;
import dev.latchkey.domain.application.Manifest;
import dev.latchkey.domain.application.ManifestRejectedException;
import dev.latchkey.domain.application.OAuthSettings;
import dev.latchkey.domain.application.ProviderName;
import dev.latchkey.domain.application.ServerVariableSet;
import dev.latchkey.domain.application.SetServerVariable;
import dev.latchkey.domain.connection.AuthorizationStarted;
import dev.latchkey.domain.connection.ConnectionId;
import dev.latchkey.domain.connection.ConnectionRenamed;
import dev.latchkey.domain.connection.PendingAuthorization;
import dev.latchkey.domain.connection.StartAuthorization;
import dev.latchkey.domain.connection.UserWorkspaceId;
import dev.latchkey.domain.connection.Visibility;
import dev.latchkey.domain.connection.WorkspaceId;
import dev.latchkey.domain.secret.SealingContext;
import dev.latchkey.domain.secret.Secret;
import dev.latchkey.domain.secret.SecretField;
import dev.latchkey.domain.secret.SecretSealer;
import dev.latchkey.query.connection.ConnectionViewProjection;
import dev.latchkey.testsupport.TestPostgres;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.deadletter.jdbc.JdbcSequencedDeadLetterQueue;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.ClassUtils;

/**
 * Commands through the gateway, events read back from PostgreSQL with plain JDBC; Axon's storage is its JDBC one, in
 * the caller's Spring transaction. {@code StorageUpgradeTest} reads what the JPA storage wrote before.
 */
class EventStoreIntegrationTest extends LatchkeySpringTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    CommandGateway commands;

    @Autowired
    SecretSealer sealer;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    EventProcessingConfiguration eventProcessing;

    @Autowired
    EventProbe probe;

    @Autowired
    ApplicationContext context;

    @Autowired
    EventStore eventStore;

    @Autowired
    PlatformTransactionManager transactionManager;

    @Test
    void eventsAreStoredAsJsonInByteaWithWhoCausedThem() throws Exception {
        ApplicationId applicationId = newApplicationId();
        CommandMessage<InstallApplication> install =
                asCommand(new InstallApplication(applicationId, linearManifest(applicationId)), "admin-1", null);
        commands.sendAndWait(install);
        CommandMessage<SetServerVariable> setSecret = asCommand(
                new SetServerVariable(
                        applicationId,
                        "LINEAR_CLIENT_SECRET",
                        sealer.seal(
                                Secret.of("s3cr3t-client-value"),
                                SealingContext.forServerVariable(applicationId, "LINEAR_CLIENT_SECRET"))),
                "admin-1",
                null);
        commands.sendAndWait(setSecret);
        WorkspaceId workspace = WorkspaceId.of("ws-1");
        ConnectionId connectionId = ConnectionId.random();
        CommandMessage<StartAuthorization> start =
                asCommand(startAuthorization(workspace, connectionId, applicationId), "user-7", "ws-1");
        commands.sendAndWait(start);

        List<Map<String, Object>> rows = jdbc.queryForList("""
                select global_index, aggregate_identifier, sequence_number, payload_type,
                       pg_typeof(payload)::text as payload_column, convert_from(payload, 'UTF8') as payload,
                       convert_from(meta_data, 'UTF8') as meta_data
                from domain_event_entry where aggregate_identifier in (?, ?) order by global_index""", applicationId.value(), connectionId.value());

        assertThat(rows)
                .extracting(row -> row.get("payload_type"))
                .containsExactly(
                        ApplicationInstalled.class.getName(),
                        ServerVariableSet.class.getName(),
                        AuthorizationStarted.class.getName());
        assertThat(rows).allSatisfy(row -> assertThat(row.get("payload_column")).isEqualTo("bytea"));

        JsonNode installed = JSON.readTree((String) rows.get(0).get("payload"));
        assertThat(installed.at("/manifest/connectionProviders/0/name").asText())
                .isEqualTo("linear");
        assertMetaData(rows.get(0), "admin-1", install.getIdentifier(), null);

        String variableSet = (String) rows.get(1).get("payload");
        assertThat(variableSet).doesNotContain("s3cr3t-client-value");
        assertThat(JSON.readTree(variableSet).at("/value/keyId").asText()).startsWith("dk:");
        assertMetaData(rows.get(1), "admin-1", setSecret.getIdentifier(), null);

        JsonNode started = JSON.readTree((String) rows.get(2).get("payload"));
        assertThat(started.at("/authorization/expiresAt").isTextual()).isTrue();
        assertThat(Instant.parse(started.at("/authorization/expiresAt").asText()))
                .isAfter(Instant.now());
        assertThat(started.at("/visibility").asText()).isEqualTo("user");
        assertMetaData(rows.get(2), "user-7", start.getIdentifier(), "ws-1");

        assertThat(jdbc.queryForObject("select count(*) from pg_largeobject_metadata", Long.class))
                .isZero();
    }

    @Test
    void globalIndexComesFromTheSequenceOneValueAtATime() {
        ApplicationId applicationId = newApplicationId();
        commands.sendAndWait(
                asCommand(new InstallApplication(applicationId, linearManifest(applicationId)), "admin-1", null));

        Map<String, Object> sequence = jdbc.queryForMap(
                "select increment_by, last_value from pg_sequences where sequencename = 'domain_event_entry_seq'");
        Long lastIndex = jdbc.queryForObject(
                "select global_index from domain_event_entry where aggregate_identifier = ?",
                Long.class,
                applicationId.value());

        assertThat(sequence.get("increment_by")).isEqualTo(1L);
        // a pooled optimizer would have reserved values past the last one it handed out
        assertThat(sequence.get("last_value")).isEqualTo(lastIndex);
    }

    @Test
    void theGlobalIndexIsTheColumnsDefaultFromThatSequence() {
        // the JDBC engine inserts without a global index: the database draws it, in the inserting transaction
        assertThat(jdbc.queryForObject(
                        "select column_default from information_schema.columns"
                                + " where table_name = 'domain_event_entry' and column_name = 'global_index'",
                        String.class))
                .isEqualTo("nextval('domain_event_entry_seq'::regclass)");
    }

    @Test
    void axonStoresThroughJdbcInSpringsDataSourceTransactionsAndJpaIsGone() {
        assertThat(context.getBean(EventStorageEngine.class)).isInstanceOf(JdbcEventStorageEngine.class);
        assertThat(context.getBean(TokenStore.class)).isInstanceOf(JdbcTokenStore.class);
        assertThat(eventProcessing.deadLetterQueue(ConnectionViewProjection.PROCESSING_GROUP))
                .containsInstanceOf(JdbcSequencedDeadLetterQueue.class);
        assertThat(context.getBean(org.axonframework.common.transaction.TransactionManager.class))
                .isInstanceOf(SpringTransactionManager.class);
        assertThat(transactionManager).isInstanceOf(DataSourceTransactionManager.class);
        assertThat(ClassUtils.isPresent("jakarta.persistence.EntityManagerFactory", null))
                .isFalse();
        assertThat(ClassUtils.isPresent("org.hibernate.Session", null)).isFalse();
    }

    @Test
    void aCommandsEventsAndTheSubscribingProjectionsCommitOrRollBackWithTheCallersTransaction() {
        ConnectionId connectionId = ConnectionId.random();
        String stateDigest = "state-digest-" + connectionId.value();
        StartAuthorization start =
                startAuthorization(WorkspaceId.of("ws-1"), connectionId, newApplicationId(), stateDigest);

        new TransactionTemplate(transactionManager).executeWithoutResult(transaction -> {
            commands.sendAndWait(asCommand(start, "user-7", "ws-1"));
            // on the transaction's own connection the event and the subscribing projection's row are there
            assertThat(eventsOf(connectionId)).isOne();
            assertThat(statesWithDigest(stateDigest)).isOne();
            // and on every other connection neither is, yet: one transaction, not yet committed
            assertThat(seenFromAnotherConnection(connectionId.value(), stateDigest))
                    .containsExactly(0L, 0L);
            transaction.setRollbackOnly();
        });

        assertThat(eventsOf(connectionId)).isZero();
        assertThat(statesWithDigest(stateDigest)).isZero();
    }

    @Test
    void anAggregateSequenceNumberTakenTwiceIsAConcurrencyConflict() {
        // CommandSender decides again on a ConcurrencyException; Axon's JDBC default would make it an error
        ConnectionId connectionId = ConnectionId.random();
        TransactionTemplate transactions = new TransactionTemplate(transactionManager);

        assertThatThrownBy(() -> transactions.executeWithoutResult(transaction -> {
                    eventStore.publish(renamed(connectionId, 1, "first"));
                    eventStore.publish(renamed(connectionId, 1, "second"));
                }))
                .isInstanceOf(ConcurrencyException.class);
        assertThat(eventsOf(connectionId)).isZero();
    }

    @Test
    void theEventTablesKeepTheLayoutTheJpaStorageWroteInto() {
        // events stored before the JDBC engine read back: same columns, same types (bytea, ISO-8601 text times)
        assertThat(columns("domain_event_entry"))
                .containsExactly(
                        "global_index bigint NO",
                        "event_identifier character varying NO",
                        "aggregate_identifier character varying NO",
                        "sequence_number bigint NO",
                        "type character varying YES",
                        "time_stamp character varying NO",
                        "payload_type character varying NO",
                        "payload_revision character varying YES",
                        "payload bytea NO",
                        "meta_data bytea YES");
        assertThat(columns("snapshot_event_entry"))
                .containsExactly(
                        "aggregate_identifier character varying NO",
                        "sequence_number bigint NO",
                        "type character varying NO",
                        "event_identifier character varying NO",
                        "time_stamp character varying NO",
                        "payload_type character varying NO",
                        "payload_revision character varying YES",
                        "payload bytea NO",
                        "meta_data bytea YES");
        assertThat(columns("token_entry"))
                .containsExactly(
                        "processor_name character varying NO",
                        "segment integer NO",
                        "token bytea YES",
                        "token_type character varying YES",
                        "timestamp character varying NO",
                        "owner character varying YES");
    }

    @Test
    void manifestValidatorComesFromSpringWithTheConfiguredEndpointPolicy() {
        ApplicationId applicationId = newApplicationId();
        Manifest manifest = linearManifest(applicationId);
        Manifest insecure = new Manifest(
                manifest.universalIdentifier(),
                manifest.displayName(),
                manifest.description(),
                manifest.serverVariables(),
                manifest.allowedReturnUrls(),
                manifest.connectionProviders().stream()
                        .map(p -> new ConnectionProviderDefinition(
                                p.universalIdentifier(),
                                p.name(),
                                p.displayName(),
                                p.icon(),
                                p.type(),
                                withTokenEndpoint(p.oauth(), "http://token.example.com/token")))
                        .toList());

        assertThatThrownBy(() -> commands.sendAndWait(
                        asCommand(new InstallApplication(applicationId, insecure), "admin-1", null)))
                .isInstanceOfSatisfying(
                        ManifestRejectedException.class,
                        rejected -> assertThat(rejected.errors())
                                .extracting(FieldError::field)
                                .containsExactly("connectionProviders[0].oauth.tokenEndpoint"));
    }

    @Test
    void eventHandlersRunInPooledStreamingProcessorsFedByTheEventStore() {
        ApplicationId applicationId = newApplicationId();
        commands.sendAndWait(
                asCommand(new InstallApplication(applicationId, linearManifest(applicationId)), "admin-1", null));

        assertThat(eventProcessing.eventProcessor(EventProbe.PROCESSING_GROUP))
                .containsInstanceOf(PooledStreamingEventProcessor.class);
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(probe.seen())
                        .anySatisfy(
                                message -> assertThat(message.getPayload()).isInstanceOf(ApplicationInstalled.class)));
        assertThat(jdbc.queryForObject(
                        "select count(*) from token_entry where processor_name = ?",
                        Long.class,
                        EventProbe.PROCESSING_GROUP))
                .isPositive();
    }

    @Test
    void theConfiguredDatabaseIsUsedAndNoEmbeddedOneIsStarted() {
        assertThat(context.getBeanProvider(EmbeddedPostgresServer.class).getIfAvailable())
                .isNull();
        assertThat(jdbc.queryForObject("select current_database()", String.class))
                .isEqualTo("latchkey_test");
    }

    private StartAuthorization startAuthorization(
            WorkspaceId workspace, ConnectionId connectionId, ApplicationId applicationId) {
        return startAuthorization(workspace, connectionId, applicationId, "state-digest");
    }

    private StartAuthorization startAuthorization(
            WorkspaceId workspace, ConnectionId connectionId, ApplicationId applicationId, String stateDigest) {
        return new StartAuthorization(
                connectionId,
                workspace,
                applicationId,
                ProviderName.of("linear"),
                UserWorkspaceId.of("uw-7"),
                Visibility.USER,
                "Linear #1",
                new PendingAuthorization(
                        stateDigest,
                        "binding-digest",
                        sealer.seal(
                                Secret.of("pkce-verifier"),
                                SealingContext.forConnection(workspace, connectionId, SecretField.CODE_VERIFIER)),
                        Instant.now().plus(Duration.ofMinutes(10)),
                        null));
    }

    private long eventsOf(ConnectionId connectionId) {
        return jdbc.queryForObject(
                "select count(*) from domain_event_entry where aggregate_identifier = ?",
                Long.class,
                connectionId.value());
    }

    private long statesWithDigest(String stateDigest) {
        return jdbc.queryForObject(
                "select count(*) from authorization_state where state_digest = ?", Long.class, stateDigest);
    }

    /** Events of the aggregate and authorization states with the digest, as a connection of its own sees them. */
    private static List<Long> seenFromAnotherConnection(String aggregateId, String stateDigest) {
        // an unpooled DataSource of its own: no Spring transaction is bound to it
        Map<String, Object> seen = new JdbcTemplate(TestPostgres.dataSource(DATABASE))
                .queryForMap(
                        "select (select count(*) from domain_event_entry where aggregate_identifier = ?) as events,"
                                + " (select count(*) from authorization_state where state_digest = ?) as states",
                        aggregateId,
                        stateDigest);
        return List.of((Long) seen.get("events"), (Long) seen.get("states"));
    }

    private List<String> columns(String table) {
        return jdbc.queryForList(
                "select column_name || ' ' || data_type || ' ' || is_nullable from information_schema.columns"
                        + " where table_schema = 'public' and table_name = ? order by ordinal_position",
                String.class,
                table);
    }

    private static GenericDomainEventMessage<ConnectionRenamed> renamed(
            ConnectionId connectionId, long sequence, String name) {
        return new GenericDomainEventMessage<>(
                "Connection", connectionId.value(), sequence, new ConnectionRenamed(connectionId, name));
    }

    private static void assertMetaData(Map<String, Object> row, String actor, String correlationId, String workspaceId)
            throws Exception {
        JsonNode metaData = JSON.readTree((String) row.get("meta_data"));
        assertThat(metaData.path("actor").asText()).isEqualTo(actor);
        assertThat(metaData.path("correlationId").asText()).isEqualTo(correlationId);
        if (workspaceId == null) {
            assertThat(metaData.has("workspaceId")).isFalse();
        } else {
            assertThat(metaData.path("workspaceId").asText()).isEqualTo(workspaceId);
        }
    }

    private static OAuthSettings withTokenEndpoint(OAuthSettings o, String tokenEndpoint) {
        return new OAuthSettings(
                o.authorizationEndpoint(),
                tokenEndpoint,
                o.revokeEndpoint(),
                o.scopes(),
                o.clientIdVariable(),
                o.clientSecretVariable(),
                o.tokenRequestContentType(),
                o.clientAuthentication(),
                o.usePkce(),
                o.authorizationParams(),
                o.userInfoEndpoint(),
                o.handleField(),
                o.issuer(),
                o.scopeSeparator());
    }
}
