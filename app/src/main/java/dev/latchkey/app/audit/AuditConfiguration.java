package dev.latchkey.app.audit;

import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The audit log's workspace index is written in the command's own transaction, and a failure to write it fails the
 * command: an event whose workspace is unknown would be missing from that workspace's log for good.
 */
@Configuration(proxyBeanMethods = false)
public class AuditConfiguration {

    @Bean
    public ConfigurerModule connectionWorkspacesInTheCommandTransaction() {
        return configurer -> configurer
                .eventProcessing()
                .registerSubscribingEventProcessor(ConnectionWorkspaces.PROCESSING_GROUP)
                .registerListenerInvocationErrorHandler(
                        ConnectionWorkspaces.PROCESSING_GROUP, c -> PropagatingErrorHandler.instance());
    }
}
