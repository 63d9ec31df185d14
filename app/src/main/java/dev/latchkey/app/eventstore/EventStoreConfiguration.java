package dev.latchkey.app.eventstore;

import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The source every streaming processor reads the event store through ({@link EventsOnArrival}). */
@Configuration(proxyBeanMethods = false)
public class EventStoreConfiguration {

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
