package dev.latchkey.app.eventstore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.app.deadletter.ParkedSequences;
import dev.latchkey.app.deadletter.ParkedSequences.ParkedSequence;
import dev.latchkey.domain.connection.ConnectionId;
import dev.latchkey.domain.connection.ConnectionRenamed;
import dev.latchkey.testsupport.TestPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.deadletter.jdbc.JdbcSequencedDeadLetterQueue;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.deadletter.Decisions;
import org.axonframework.serialization.Serializer;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.axonframework.springboot.TokenStoreProperties;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * A database the JPA storage wrote into (every migration but V60 applied, rows as Hibernate laid them out) is
 * migrated with the application's Flyway settings and read by the JDBC components as the application builds them:
 * old events, a processor's position and a parked event are all still there, and new events follow the old ones.
 */
class StorageUpgradeTest {

    private static final String DATABASE = "latchkey_upgrade";
    private static final String UPGRADE = "V60__axon_jdbc_storage.sql";

    private static final ConnectionId OLD_CONNECTION = ConnectionId.of("c0ffee00-0000-4000-8000-000000000001");
    private static final String OLD_PROCESSOR = "connection-view";
    private static final Instant OLD_EVENT_TIME = Instant.parse("2026-11-30T08:15:30.250Z");
    private static final Instant PARKED_AT = Instant.parse("2026-12-01T10:00:00.123Z");
    private static final Instant PARKED_TOUCHED = Instant.parse("2026-12-01T10:05:00.456Z");

    private static DataSource dataSource;
    private static JdbcTemplate jdbc;
    private static long oldGlobalIndex;

    private static final Serializer serializer = new EventSerializationConfiguration().serializer();
    private static final Serializer eventSerializer = new EventSerializationConfiguration().eventSerializer();
    private static final AxonStorageConfiguration storage = new AxonStorageConfiguration();

    @BeforeAll
    static void aDatabaseTheJpaStorageWroteIntoIsMigrated(@TempDir Path beforeUpgrade) throws IOException {
        dataSource = TestPostgres.dataSource(DATABASE);
        jdbc = new JdbcTemplate(dataSource);
        Flyway.configure()
                .dataSource(dataSource)
                .locations("filesystem:" + migrationsBefore(UPGRADE, beforeUpgrade))
                .load()
                .migrate();
        writeAsTheJpaStorageDid();

        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .outOfOrder(applicationFlywayRunsOutOfOrder())
                .load()
                .migrate();
    }

    @Test
    void theUpgradeRanAfterTheQuerySidesHigherVersions() {
        List<String> applied = jdbc.queryForList(
                "select version from flyway_schema_history where success order by installed_rank", String.class);
        assertThat(applied).endsWith("60");
        assertThat(applied.indexOf("103")).isLessThan(applied.indexOf("60"));
    }

    @Test
    void anEventStoredBeforeReadsBackAndTheNextOneFollowsItInTheSequence() {
        TransactionManager transactions = transactions();
        EventStorageEngine engine = engine(transactions);

        List<? extends DomainEventMessage<?>> history =
                engine.readEvents(OLD_CONNECTION.value()).asStream().toList();
        assertThat(history).hasSize(1);
        assertThat(history.get(0).getPayload()).isEqualTo(new ConnectionRenamed(OLD_CONNECTION, "Linear (old)"));
        assertThat(history.get(0).getMetaData()).containsEntry("actor", "user-1");
        assertThat(history.get(0).getTimestamp()).isEqualTo(OLD_EVENT_TIME);

        transactions.executeInTransaction(() -> engine.appendEvents(new GenericDomainEventMessage<>(
                "Connection", OLD_CONNECTION.value(), 1, new ConnectionRenamed(OLD_CONNECTION, "Linear (new)"))));

        assertThat(jdbc.queryForList(
                        "select global_index from domain_event_entry where aggregate_identifier = ?"
                                + " order by sequence_number",
                        Long.class,
                        OLD_CONNECTION.value()))
                .containsExactly(oldGlobalIndex, oldGlobalIndex + 1);
        assertThat(jdbc.queryForObject("select last_value from domain_event_entry_seq", Long.class))
                .isEqualTo(oldGlobalIndex + 1);
    }

    @Test
    void aProcessorsStoredPositionIsClaimedAndTheStreamGoesOnAfterIt() {
        TransactionManager transactions = transactions();
        TokenStore tokens = storage.tokenStore(connections(), serializer, new TokenStoreProperties());
        EventStorageEngine engine = engine(transactions);

        GapAwareTrackingToken position =
                (GapAwareTrackingToken) transactions.fetchInTransaction(() -> tokens.fetchToken(OLD_PROCESSOR, 0));

        assertThat(position.getIndex()).isEqualTo(oldGlobalIndex);
        assertThat(jdbc.queryForObject(
                        "select owner from token_entry where processor_name = ? and segment = 0",
                        String.class,
                        OLD_PROCESSOR))
                .isNotNull();
        TrackedEventMessage<?> first =
                engine.readEvents(null, false).findFirst().orElseThrow();
        assertThat(first.getIdentifier()).isEqualTo("e-old-1");
        assertThat(first.trackingToken().covers(position)).isTrue();
        assertThat(engine.readEvents(position, false).map(EventMessage::getIdentifier))
                .doesNotContain("e-old-1");
    }

    @Test
    void anEventParkedBeforeKeepsItsTimesAndIsRetried() {
        ParkedSequences parked = new ParkedSequences(jdbc, null);
        assertThat(parked.list())
                .singleElement()
                .returns(OLD_CONNECTION.value(), ParkedSequence::sequenceId)
                .returns("ConnectionRenamed", ParkedSequence::eventType)
                .returns(PARKED_AT, ParkedSequence::parkedSince);

        JdbcSequencedDeadLetterQueue<EventMessage<?>> queue = JdbcSequencedDeadLetterQueue.<EventMessage<?>>builder()
                .processingGroup(OLD_PROCESSOR)
                .connectionProvider(connections())
                .transactionManager(transactions())
                .schema(AxonStorageConfiguration.deadLetterSchema())
                .eventSerializer(eventSerializer)
                .genericSerializer(serializer)
                .build();
        DeadLetter<? extends EventMessage<?>> letter =
                queue.deadLetterSequence(OLD_CONNECTION.value()).iterator().next();
        assertThat(letter.enqueuedAt()).isEqualTo(PARKED_AT);
        assertThat(letter.lastTouched()).isEqualTo(PARKED_TOUCHED);
        assertThat(letter.cause())
                .hasValueSatisfying(cause ->
                        assertThat(cause.message()).isEqualTo("the projection refused the event (SQLState 22021)"));
        assertThat(letter.message().getPayload()).isEqualTo(new ConnectionRenamed(OLD_CONNECTION, "bad name"));

        // claiming compares and orders the converted times: the letter is found, handled and evicted
        assertThat(queue.process(retried -> Decisions.evict())).isTrue();
        assertThat(queue.size()).isZero();
    }

    private static void writeAsTheJpaStorageDid() {
        // an event: global index drawn by Hibernate from the sequence, times as Axon's ISO text, JSON in bytea
        oldGlobalIndex = jdbc.queryForObject("select nextval('domain_event_entry_seq')", Long.class);
        jdbc.update(
                "insert into domain_event_entry (global_index, event_identifier, aggregate_identifier, sequence_number,"
                        + " type, time_stamp, payload_type, payload_revision, payload, meta_data)"
                        + " values (?, 'e-old-1', ?, 0, 'Connection', '2026-11-30T08:15:30.250Z',"
                        + " 'dev.latchkey.domain.connection.ConnectionRenamed', null, ?, ?)",
                oldGlobalIndex,
                OLD_CONNECTION.value(),
                utf8("{\"connectionId\":\"" + OLD_CONNECTION.value() + "\",\"name\":\"Linear (old)\"}"),
                utf8("{\"actor\":\"user-1\",\"correlationId\":\"cmd-1\"}"));
        // the view's position at that event, unclaimed (its node stopped)
        jdbc.update(
                "insert into token_entry (processor_name, segment, token, token_type, timestamp, owner)"
                        + " values (?, 0, ?, ?, '2026-11-30T08:16:00.000Z', null)",
                OLD_PROCESSOR,
                serializer
                        .serialize(GapAwareTrackingToken.newInstance(oldGlobalIndex, Set.of()), byte[].class)
                        .getData(),
                GapAwareTrackingToken.class.getName());
        // a parked event, its times timestamptz as the JPA queue mapped them
        jdbc.update(
                "insert into dead_letter_entry (dead_letter_id, processing_group, sequence_identifier, sequence_index,"
                        + " message_type, event_identifier, time_stamp, payload_type, payload_revision, payload,"
                        + " meta_data, type, aggregate_identifier, sequence_number, token_type, token, enqueued_at,"
                        + " last_touched, processing_started, cause_type, cause_message, diagnostics)"
                        + " values ('dl-old-1', ?, ?, 0, ?, 'e-old-2', '2026-12-01T09:59:59.999Z',"
                        + " 'dev.latchkey.domain.connection.ConnectionRenamed', null, ?, ?, 'Connection', ?, 3, ?, ?,"
                        + " '2026-12-01 11:00:00.123+01', '2026-12-01 10:05:00.456+00', null,"
                        + " 'dev.latchkey.query.projection.EventRefusedException',"
                        + " 'the projection refused the event (SQLState 22021)', ?)",
                OLD_PROCESSOR,
                OLD_CONNECTION.value(),
                "org.axonframework.eventhandling.GenericTrackedDomainEventMessage",
                utf8("{\"connectionId\":\"" + OLD_CONNECTION.value() + "\",\"name\":\"bad name\"}"),
                utf8("{\"actor\":\"system:poison-test\"}"),
                OLD_CONNECTION.value(),
                GapAwareTrackingToken.class.getName(),
                serializer
                        .serialize(GapAwareTrackingToken.newInstance(oldGlobalIndex + 7, Set.of()), byte[].class)
                        .getData(),
                serializer.serialize(MetaData.emptyInstance(), byte[].class).getData());
    }

    private static EventStorageEngine engine(TransactionManager transactions) {
        return storage.eventStorageEngine(
                serializer,
                eventSerializer,
                storage.persistenceExceptionResolver(),
                DefaultConfigurer.defaultConfiguration().buildConfiguration(),
                connections(),
                transactions);
    }

    private static ConnectionProvider connections() {
        return storage.connectionProvider(dataSource);
    }

    private static TransactionManager transactions() {
        return new SpringTransactionManager(new DataSourceTransactionManager(dataSource));
    }

    /** What {@code spring.flyway.out-of-order} says in the application's own application.yml. */
    private static boolean applicationFlywayRunsOutOfOrder() {
        YamlPropertiesFactoryBean yaml = new YamlPropertiesFactoryBean();
        yaml.setResources(new ClassPathResource("application.yml"));
        return Boolean.parseBoolean(yaml.getObject().getProperty("spring.flyway.out-of-order"));
    }

    /** Every migration of the classpath (app and query side) but {@code upgrade}, copied into {@code directory}. */
    private static Path migrationsBefore(String upgrade, Path directory) throws IOException {
        Resource[] scripts = new PathMatchingResourcePatternResolver().getResources("classpath*:db/migration/*.sql");
        assertThat(scripts).extracting(Resource::getFilename).contains(upgrade, "V103__authorization_state.sql");
        for (Resource script : scripts) {
            if (!upgrade.equals(script.getFilename())) {
                try (InputStream in = script.getInputStream()) {
                    Files.copy(in, directory.resolve(script.getFilename()));
                }
            }
        }
        return directory;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
