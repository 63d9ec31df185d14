package dev.latchkey.app.writemodel;

import dev.latchkey.domain.audit.AuditMetadata;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.MessageOriginProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Every event carries who caused it, because audit consumers read it: the {@code actor} and {@code workspaceId} of
 * the command that caused it, and Axon's {@code correlationId} (the id of the message that started the chain).
 * Axon collects every {@link CorrelationDataProvider} bean; declaring one replaces Axon's default, so the message
 * origin provider is declared here too.
 */
@Configuration(proxyBeanMethods = false)
public class AuditMetadataConfiguration {

    @Bean
    public CorrelationDataProvider messageOriginProvider() {
        return new MessageOriginProvider(AuditMetadata.CORRELATION_ID, "traceId");
    }

    @Bean
    public CorrelationDataProvider auditMetadataProvider() {
        return new SimpleCorrelationDataProvider(AuditMetadata.ACTOR, AuditMetadata.WORKSPACE_ID);
    }
}
