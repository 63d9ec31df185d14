package dev.latchkey.app.eventstore;

import org.axonframework.config.ConfigurerModule;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Every processing group runs in a pooled streaming processor unless {@code axon.eventhandling.processors.<name>}
 * says otherwise: it reads the event store, keeps its position in {@code token_entry}, splits its segments between
 * nodes and can be replayed. (4.13.0's tracking processor can stop itself after a handler error, Axon issue 4456.)
 */
@Configuration(proxyBeanMethods = false)
public class EventProcessingConfiguration {

    @Bean
    public ConfigurerModule pooledStreamingByDefault() {
        return configurer -> configurer.eventProcessing().usingPooledStreamingEventProcessors();
    }
}
