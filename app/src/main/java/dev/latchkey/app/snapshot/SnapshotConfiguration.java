package dev.latchkey.app.snapshot;

import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventsourcing.SnapshotterSpanFactory;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.annotation.HandlerDefinition;
import org.axonframework.messaging.annotation.ParameterResolverFactory;
import org.axonframework.spring.eventsourcing.SpringAggregateSnapshotter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Axon's snapshotter, as the starter would make it, but taking snapshots on {@link SnapshotThreads} (the starter's
 * runs them on the thread that committed the command, after the commit and before the caller gets its answer) and
 * knowing the aggregates registered with Axon's configurer ({@link ConfiguredAggregateSnapshotter}).
 * Which aggregates are snapshotted, and when, is said where they are registered ({@code WriteModelConfiguration}).
 */
@Configuration(proxyBeanMethods = false)
public class SnapshotConfiguration {

    @Bean
    public SpringAggregateSnapshotter aggregateSnapshotter(
            org.axonframework.config.Configuration configuration,
            HandlerDefinition handlerDefinition,
            ParameterResolverFactory parameterResolverFactory,
            EventStore eventStore,
            TransactionManager transactionManager,
            SnapshotterSpanFactory spanFactory,
            SnapshotThreads threads) {
        SpringAggregateSnapshotter.Builder builder = SpringAggregateSnapshotter.builder()
                .repositoryProvider(configuration::repository)
                .transactionManager(transactionManager)
                .eventStore(eventStore)
                .parameterResolverFactory(parameterResolverFactory)
                .handlerDefinition(handlerDefinition)
                .spanFactory(spanFactory)
                .executor(threads.executor());
        return new ConfiguredAggregateSnapshotter(builder, configuration);
    }
}
