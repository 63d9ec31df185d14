package dev.latchkey.app.writemodel;

import dev.latchkey.app.config.LatchkeyProperties;
import dev.latchkey.domain.application.Application;
import dev.latchkey.domain.application.EndpointPolicy;
import dev.latchkey.domain.application.ManifestValidator;
import dev.latchkey.domain.connection.Connection;
import org.axonframework.config.ConfigurerModule;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The write model of {@code connection-domain} on Axon: both aggregates event sourced from the event store. The
 * domain knows no Spring, so its aggregates are registered here rather than annotated; their handlers' extra
 * parameters (the {@link ManifestValidator}) are resolved from the beans below.
 */
@Configuration(proxyBeanMethods = false)
public class WriteModelConfiguration {

    @Bean
    public ConfigurerModule aggregates() {
        return configurer -> configurer.configureAggregate(Application.class).configureAggregate(Connection.class);
    }

    @Bean
    public ManifestValidator manifestValidator(LatchkeyProperties properties) {
        return new ManifestValidator(new EndpointPolicy(properties.allowInsecureLoopback()));
    }
}
