package dev.latchkey.app.eventstore;

import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.EventBusSpanFactory;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The event store, and the source every streaming processor reads it through ({@link EventsOnArrival}).
 *
 * <p>The store is Axon's embedded one, built as its auto-configuration would build it around
 * {@link AxonStorageConfiguration#eventStorageEngine}, but looking for other nodes' events every
 * {@value #FETCH_DELAY_MILLIS} ms while it finds none (Axon's default: every second). This node's own events wake it
 * at once after their commit; the delay is how late the views see an event appended on another node, for one indexed
 * query per interval on each node.
 */
@Configuration(proxyBeanMethods = false)
public class EventStoreConfiguration {

    static final long FETCH_DELAY_MILLIS = 100;

    @Bean(name = "eventBus")
    public EmbeddedEventStore eventStore(
            EventStorageEngine storageEngine, org.axonframework.config.Configuration configuration) {
        return EmbeddedEventStore.builder()
                .storageEngine(storageEngine)
                .messageMonitor(configuration.messageMonitor(EventStore.class, "eventStore"))
                .spanFactory(configuration.getComponent(EventBusSpanFactory.class))
                .fetchDelay(FETCH_DELAY_MILLIS)
                .build();
    }

    /** Named as {@code axon.eventhandling.processors.<name>.source} names it in application.yml. */
    @Bean
    public EventsOnArrival eventsOnArrival(EventStore eventStore) {
        return new EventsOnArrival(eventStore);
    }

    /**
     * The source of the processors that application.yml does not configure; looked up when the processors are built
     * (the event store itself needs Axon's configuration, which this module is part of).
     */
    @Bean
    public ConfigurerModule processorsWakeOnArrival(ObjectProvider<EventsOnArrival> eventsOnArrival) {
        return configurer ->
                configurer.eventProcessing().configureDefaultStreamableMessageSource(c -> eventsOnArrival.getObject());
    }
}
