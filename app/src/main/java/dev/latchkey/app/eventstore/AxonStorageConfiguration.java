package dev.latchkey.app.eventstore;

import javax.sql.DataSource;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.jdbc.UnitOfWorkAwareConnectionProviderWrapper;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.deadletter.jdbc.DeadLetterSchema;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jpa.SQLStateResolver;
import org.axonframework.serialization.Serializer;
import org.axonframework.spring.jdbc.SpringDataSourceConnectionProvider;
import org.axonframework.springboot.TokenStoreProperties;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Where Axon keeps events, snapshots, processor positions and dead letters: plain JDBC on the tables Flyway creates
 * ({@code db/migration/V1}, {@code V60}), no JPA. Hibernate's start-up and its persist and flush of every event cost
 * more than the rest of an append (docs/performance.md, rows 3 and 6).
 *
 * <p>Every statement runs on the connection of the Spring transaction under way ({@link SpringDataSourceConnectionProvider},
 * and Axon's {@code SpringTransactionManager} over Spring Boot's {@code DataSourceTransactionManager}), so a command's
 * events, the subscribing projections' rows and the read models' JDBC writes commit or roll back together.
 *
 * <p>The beans are declared here rather than left to Axon's {@code JdbcAutoConfiguration}, whose defaults name
 * camel-case tables that do not exist and do not recognise PostgreSQL's duplicate key; that configuration backs off
 * for each of them. The {@code EventStore} itself stays Axon's: it is built around {@link #eventStorageEngine}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TokenStoreProperties.class)
public class AxonStorageConfiguration {

    /** PostgreSQL's unique_violation: two nodes appended the same sequence number of one aggregate. */
    static final String UNIQUE_VIOLATION = "23505";

    /** {@code domain_event_entry} and {@code snapshot_event_entry}; the global index is the column's default. */
    public static EventSchema eventSchema() {
        return EventSchema.builder()
                .eventTable("domain_event_entry")
                .snapshotTable("snapshot_event_entry")
                .globalIndexColumn("global_index")
                .eventIdentifierColumn("event_identifier")
                .aggregateIdentifierColumn("aggregate_identifier")
                .sequenceNumberColumn("sequence_number")
                .typeColumn("type")
                .timestampColumn("time_stamp")
                .payloadTypeColumn("payload_type")
                .payloadRevisionColumn("payload_revision")
                .payloadColumn("payload")
                .metaDataColumn("meta_data")
                .build();
    }

    /** {@code token_entry}: one row per segment of each streaming processor, claimed by the node that runs it. */
    public static TokenSchema tokenSchema() {
        return TokenSchema.builder()
                .setTokenTable("token_entry")
                .setProcessorNameColumn("processor_name")
                .setSegmentColumn("segment")
                .setTokenColumn("token")
                .setTokenTypeColumn("token_type")
                .setTimestampColumn("timestamp")
                .setOwnerColumn("owner")
                .build();
    }

    /** {@code dead_letter_entry}, the views' parked events (ReadModelConfiguration, ParkedSequences). */
    public static DeadLetterSchema deadLetterSchema() {
        return DeadLetterSchema.builder()
                .deadLetterTable("dead_letter_entry")
                .deadLetterIdentifierColumn("dead_letter_id")
                .processingGroupColumn("processing_group")
                .sequenceIdentifierColumn("sequence_identifier")
                .sequenceIndexColumn("sequence_index")
                .messageTypeColumn("message_type")
                .eventIdentifierColumn("event_identifier")
                .timestampColumn("time_stamp")
                .payloadTypeColumn("payload_type")
                .payloadRevisionColumn("payload_revision")
                .payloadColumn("payload")
                .metaDataColumn("meta_data")
                .aggregateTypeColumn("type")
                .aggregateIdentifierColumn("aggregate_identifier")
                .sequenceNumberColumn("sequence_number")
                .tokenTypeColumn("token_type")
                .tokenColumn("token")
                .enqueuedAtColumn("enqueued_at")
                .lastTouchedColumn("last_touched")
                .processingStartedColumn("processing_started")
                .causeTypeColumn("cause_type")
                .causeMessageColumn("cause_message")
                .diagnosticsColumn("diagnostics")
                .build();
    }

    /** The connection of the running Spring transaction, or of the unit of work that holds one. */
    @Bean
    public ConnectionProvider connectionProvider(DataSource dataSource) {
        return new UnitOfWorkAwareConnectionProviderWrapper(new SpringDataSourceConnectionProvider(dataSource));
    }

    /**
     * A duplicate key becomes Axon's {@code ConcurrencyException}, which {@code CommandSender} answers by deciding
     * again. Axon's JDBC default looks for {@code SQLIntegrityConstraintViolationException}, which PostgreSQL's
     * driver never throws; the SQL state is what it reports.
     */
    @Bean
    public PersistenceExceptionResolver persistenceExceptionResolver() {
        return new SQLStateResolver(UNIQUE_VIOLATION);
    }

    /**
     * Events and snapshots as JSON in {@code bytea} (the serializers of {@link EventSerializationConfiguration}),
     * with the upcasters and snapshot filter of Axon's configuration, as the JPA engine had them.
     */
    @Bean
    public EventStorageEngine eventStorageEngine(
            Serializer serializer,
            @Qualifier("eventSerializer") Serializer eventSerializer,
            PersistenceExceptionResolver persistenceExceptionResolver,
            org.axonframework.config.Configuration configuration,
            ConnectionProvider connectionProvider,
            TransactionManager transactionManager) {
        return JdbcEventStorageEngine.builder()
                .snapshotSerializer(serializer)
                .eventSerializer(eventSerializer)
                .upcasterChain(configuration.upcasterChain())
                .snapshotFilter(configuration.snapshotFilter())
                .persistenceExceptionResolver(persistenceExceptionResolver)
                .connectionProvider(connectionProvider)
                .transactionManager(transactionManager)
                .dataType(byte[].class)
                .schema(eventSchema())
                .build();
    }

    /** Positions serialized by the general serializer; a claim not renewed within the claim timeout is taken over. */
    @Bean
    public TokenStore tokenStore(
            ConnectionProvider connectionProvider, Serializer serializer, TokenStoreProperties properties) {
        return JdbcTokenStore.builder()
                .connectionProvider(connectionProvider)
                .serializer(serializer)
                .schema(tokenSchema())
                .contentType(byte[].class)
                .claimTimeout(properties.getClaimTimeout())
                .build();
    }

    /** Also what Axon's own dead-letter provider (the {@code dlq.enabled} property) would use. */
    @Bean
    public DeadLetterSchema axonDeadLetterSchema() {
        return deadLetterSchema();
    }
}
