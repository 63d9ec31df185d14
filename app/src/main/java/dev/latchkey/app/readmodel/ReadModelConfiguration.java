package dev.latchkey.app.readmodel;

import dev.latchkey.app.eventstore.AxonStorageConfiguration;
import dev.latchkey.domain.application.ApplicationEvent;
import dev.latchkey.domain.connection.ConnectionEvent;
import dev.latchkey.query.QuerySideConfiguration;
import dev.latchkey.query.application.ApplicationViewProjection;
import dev.latchkey.query.authorization.AuthorizationStates;
import dev.latchkey.query.connection.ConnectionViewProjection;
import dev.latchkey.query.projection.EventRefusals;
import dev.latchkey.query.projection.EventRefusedException;
import java.util.List;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.async.SequencingPolicy;
import org.axonframework.eventhandling.async.SequentialPerAggregatePolicy;
import org.axonframework.eventhandling.deadletter.jdbc.JdbcSequencedDeadLetterQueue;
import org.axonframework.messaging.deadletter.Decisions;
import org.axonframework.messaging.deadletter.EnqueuePolicy;
import org.axonframework.messaging.deadletter.ThrowableCause;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The query side's projections and queries, and how their processors run (see {@code axon.eventhandling} in
 * application.yml: the views pooled with one segment, the authorization states subscribing).
 *
 * <p>The two views have a sequenced dead-letter queue ({@code dead_letter_entry}): an event a view cannot apply
 * (the database refuses what it says) parks its sequence (the connection, the application) and every later event of
 * it, in order, while every other sequence goes on. Failures of the database itself are not parked: the batch fails
 * and the processor retries it. {@code /v1/admin/dead-letters} lists and retries parked sequences. The authorization
 * states stay propagating: they run in the command's transaction, and a failure there fails the command.
 */
@Configuration(proxyBeanMethods = false)
@Import(QuerySideConfiguration.class)
public class ReadModelConfiguration {

    /** Projections whose failed events are parked per sequence. */
    public static final List<String> DEAD_LETTERING =
            List.of(ConnectionViewProjection.PROCESSING_GROUP, ApplicationViewProjection.PROCESSING_GROUP);

    /** Per view: at most this many parked sequences, and this many events in one (then the processor stops). */
    static final int MAX_PARKED_SEQUENCES = 10_000;

    static final int MAX_PARKED_PER_SEQUENCE = 10_000;

    @Bean
    public ConfigurerModule projectionErrors() {
        return configurer -> {
            EventProcessingConfigurer processing = configurer.eventProcessing();
            processing
                    .registerListenerInvocationErrorHandler(
                            AuthorizationStates.PROCESSING_GROUP, c -> PropagatingErrorHandler.instance())
                    .registerSequencingPolicy(ConnectionViewProjection.PROCESSING_GROUP, c -> BY_CONNECTION)
                    .registerSequencingPolicy(ApplicationViewProjection.PROCESSING_GROUP, c -> BY_APPLICATION);
            for (String group : DEAD_LETTERING) {
                processing
                        .registerListenerInvocationErrorHandler(group, c -> PropagatingErrorHandler.instance())
                        .registerDeadLetterQueue(
                                group,
                                c -> JdbcSequencedDeadLetterQueue.builder()
                                        .processingGroup(group)
                                        .maxSequences(MAX_PARKED_SEQUENCES)
                                        .maxSequenceSize(MAX_PARKED_PER_SEQUENCE)
                                        .connectionProvider(c.getComponent(ConnectionProvider.class))
                                        .transactionManager(c.getComponent(TransactionManager.class))
                                        .schema(AxonStorageConfiguration.deadLetterSchema())
                                        .eventSerializer(c.eventSerializer())
                                        .genericSerializer(c.serializer())
                                        .build())
                        .registerDeadLetterPolicy(group, c -> PARK_WITHOUT_PAYLOAD)
                        // the cache spares a query per event while nothing is parked; the invoker itself parks
                        // every letter (RefusedSequences makes the handler throw), so the cache stays right
                        .registerDeadLetteringEventHandlerInvokerConfiguration(
                                group,
                                (c, builder) ->
                                        builder.enableSequenceIdentifierCache().allowReset(true));
            }
        };
    }

    private static final SequentialPerAggregatePolicy BY_AGGREGATE = SequentialPerAggregatePolicy.instance();

    /**
     * Sequence = connection id: one connection's events stay in order, parked or not. The payload type is checked
     * first: another aggregate's event is not deserialized for its sequence.
     */
    static final SequencingPolicy<EventMessage<?>> BY_CONNECTION =
            event -> ConnectionEvent.class.isAssignableFrom(event.getPayloadType())
                    ? ((ConnectionEvent) event.getPayload()).connectionId().value()
                    : BY_AGGREGATE.getSequenceIdentifierFor(event);

    /** Sequence = application id. */
    static final SequencingPolicy<EventMessage<?>> BY_APPLICATION =
            event -> ApplicationEvent.class.isAssignableFrom(event.getPayloadType())
                    ? ((ApplicationEvent) event.getPayload()).applicationId().value()
                    : BY_AGGREGATE.getSequenceIdentifierFor(event);

    /** The stored cause is the failure's type and a message of ours: a library's message may quote the payload. */
    static final EnqueuePolicy<EventMessage<?>> PARK_WITHOUT_PAYLOAD = (letter, cause) -> {
        if (cause == null) {
            // a retried letter whose batch failed after its handler ran: it stays parked as it was
            return Decisions.requeue(letter.cause()
                    .map(earlier -> new ThrowableCause(earlier.type(), earlier.message()))
                    .orElse(null));
        }
        return Decisions.enqueue(new ThrowableCause(
                cause.getClass().getName(),
                cause instanceof EventRefusedException
                        ? cause.getMessage()
                        : EventRefusals.describe("the projection", cause)));
    };
}
