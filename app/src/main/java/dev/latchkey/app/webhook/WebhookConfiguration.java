package dev.latchkey.app.webhook;

import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The deliveries processor never skips an event: a handler error makes it retry the batch later. */
@Configuration(proxyBeanMethods = false)
public class WebhookConfiguration {

    @Bean
    public ConfigurerModule propagateWebhookDeliveryErrors() {
        return configurer -> configurer
                .eventProcessing()
                .registerListenerInvocationErrorHandler(
                        WebhookDeliveryProcess.PROCESSING_GROUP, c -> PropagatingErrorHandler.instance());
    }
}
