package dev.latchkey.app.provider;

import dev.latchkey.app.config.LatchkeyProperties;
import dev.latchkey.oauth.ProviderExchangeSettings;
import dev.latchkey.oauth.ScribeJavaProviderExchange;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The provider port, implemented by the OAuth adapter with the timeouts and loopback rule of the settings. */
@Configuration(proxyBeanMethods = false)
public class ProviderExchangeConfiguration {

    @Bean(destroyMethod = "close")
    public ScribeJavaProviderExchange providerExchange(LatchkeyProperties properties) {
        return new ScribeJavaProviderExchange(ProviderExchangeSettings.defaults()
                .withTimeouts(properties.providerConnectTimeout(), properties.providerReadTimeout())
                .withAllowInsecureLoopback(properties.allowInsecureLoopback()));
    }
}
