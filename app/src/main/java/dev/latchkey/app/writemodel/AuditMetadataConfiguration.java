package dev.latchkey.app.writemodel;

import dev.latchkey.domain.audit.AuditMetadata;
import java.util.Map;
import org.axonframework.eventhandling.EventMessage;
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
 *
 * <p>Both give nothing while an event is being handled: no event handler of Latchkey sends a message, and Axon builds a
 * result message for every handler call, each asking every provider for the event's correlation data: 22 % of the
 * connection view's processing thread in a replay (docs/performance.md, row 4). An event handler that sends a command
 * one day must take this away, or its command loses the event's correlation.
 */
@Configuration(proxyBeanMethods = false)
public class AuditMetadataConfiguration {

    @Bean
    public CorrelationDataProvider messageOriginProvider() {
        return notWhileHandlingAnEvent(new MessageOriginProvider(AuditMetadata.CORRELATION_ID, "traceId"));
    }

    @Bean
    public CorrelationDataProvider auditMetadataProvider() {
        return notWhileHandlingAnEvent(
                new SimpleCorrelationDataProvider(AuditMetadata.ACTOR, AuditMetadata.WORKSPACE_ID));
    }

    static CorrelationDataProvider notWhileHandlingAnEvent(CorrelationDataProvider provider) {
        return message -> message instanceof EventMessage<?> ? Map.of() : provider.correlationDataFor(message);
    }
}
