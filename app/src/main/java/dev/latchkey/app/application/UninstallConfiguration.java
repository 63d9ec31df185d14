package dev.latchkey.app.application;

import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The uninstall process never skips an event: a handler error makes its processor retry the batch later. */
@Configuration(proxyBeanMethods = false)
public class UninstallConfiguration {

    @Bean
    public ConfigurerModule propagateUninstallProcessErrors() {
        return configurer -> configurer
                .eventProcessing()
                .registerListenerInvocationErrorHandler(
                        UninstallProcess.PROCESSING_GROUP, c -> PropagatingErrorHandler.instance());
    }
}
