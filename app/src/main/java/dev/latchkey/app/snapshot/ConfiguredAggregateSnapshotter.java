package dev.latchkey.app.snapshot;

import org.axonframework.config.AggregateConfiguration;
import org.axonframework.eventsourcing.AggregateFactory;
import org.axonframework.spring.eventsourcing.SpringAggregateSnapshotter;

/**
 * Spring's snapshotter finds the factory of an aggregate among the beans, which holds only for {@code @Aggregate}
 * classes. Latchkey's aggregates are registered with Axon's configurer instead ({@code WriteModelConfiguration}), so
 * their factories are asked of Axon's configuration, when the first snapshot is taken.
 */
class ConfiguredAggregateSnapshotter extends SpringAggregateSnapshotter {

    private final org.axonframework.config.Configuration axon;

    ConfiguredAggregateSnapshotter(Builder builder, org.axonframework.config.Configuration axon) {
        super(builder);
        this.axon = axon;
    }

    @Override
    protected AggregateFactory<?> getAggregateFactory(Class<?> aggregateType) {
        for (AggregateConfiguration<?> aggregate : axon.findModules(AggregateConfiguration.class)) {
            if (aggregate.aggregateType().equals(aggregateType)) {
                return aggregate.aggregateFactory();
            }
        }
        return super.getAggregateFactory(aggregateType);
    }
}
