package dev.latchkey.app.writemodel;

import dev.latchkey.app.config.LatchkeyProperties;
import dev.latchkey.app.snapshot.SnapshotProperties;
import dev.latchkey.domain.application.Application;
import dev.latchkey.domain.application.EndpointPolicy;
import dev.latchkey.domain.application.ManifestValidator;
import dev.latchkey.domain.connection.Connection;
import org.axonframework.config.AggregateConfigurer;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The write model of {@code connection-domain} on Axon: both aggregates event sourced from the event store. The
 * domain knows no Spring, so its aggregates are registered here rather than annotated; their handlers' extra
 * parameters (the {@link ManifestValidator}) are resolved from the beans below. A connection is snapshotted every
 * {@code latchkey.snapshots.connection-every} events (a refresh appends two), so loading one stays cheap however long
 * it has lived; applications change too rarely to need it.
 */
@Configuration(proxyBeanMethods = false)
public class WriteModelConfiguration {

    @Bean
    public ConfigurerModule aggregates(SnapshotProperties snapshots) {
        return configurer -> configurer
                .configureAggregate(Application.class)
                .configureAggregate(AggregateConfigurer.defaultConfiguration(Connection.class)
                        .configureSnapshotTrigger(c ->
                                new EventCountSnapshotTriggerDefinition(c.snapshotter(), snapshots.connectionEvery())));
    }

    @Bean
    public ManifestValidator manifestValidator(LatchkeyProperties properties) {
        return new ManifestValidator(new EndpointPolicy(properties.allowInsecureLoopback()));
    }
}
