package dev.latchkey.app.readmodel;

import dev.latchkey.query.QuerySideConfiguration;
import dev.latchkey.query.application.ApplicationViewProjection;
import dev.latchkey.query.authorization.AuthorizationStates;
import dev.latchkey.query.connection.ConnectionViewProjection;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The query side's projections and queries, and how their processors run (see {@code axon.eventhandling} in
 * application.yml: the views pooled with one segment, the authorization states subscribing). A handler error stops
 * and retries the batch instead of skipping the event, so a view never silently misses one.
 */
@Configuration(proxyBeanMethods = false)
@Import(QuerySideConfiguration.class)
public class ReadModelConfiguration {

    @Bean
    public ConfigurerModule propagateProjectionErrors() {
        return configurer -> configurer
                .eventProcessing()
                .registerListenerInvocationErrorHandler(
                        ConnectionViewProjection.PROCESSING_GROUP, c -> PropagatingErrorHandler.instance())
                .registerListenerInvocationErrorHandler(
                        ApplicationViewProjection.PROCESSING_GROUP, c -> PropagatingErrorHandler.instance())
                .registerListenerInvocationErrorHandler(
                        AuthorizationStates.PROCESSING_GROUP, c -> PropagatingErrorHandler.instance());
    }
}
