package dev.latchkey.bench.server;

import dev.latchkey.domain.provider.ProviderExchange;
import java.time.Clock;
import org.axonframework.eventhandling.GenericEventMessage;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * What the benchmark adds to Latchkey, and only when {@link BenchServer} starts it: the baseline endpoint (under
 * {@code /v1/**}, so behind the same JWT check as the API), the driver's {@code /bench/**} endpoints (no token; the
 * server listens on loopback only), a clock the refresh benchmark can move, and a probe on the provider port.
 */
@Configuration(proxyBeanMethods = false)
@Import({
    BaselineController.class,
    BenchController.class,
    ConnectionSeeder.class,
    StoredEvents.class,
    AppendBench.class,
    RefreshBench.class,
    ReplayBench.class
})
public class BenchConfiguration {

    @Bean
    @Order(0)
    SecurityFilterChain benchChain(HttpSecurity http) throws Exception {
        http.securityMatcher("/bench/**")
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable());
        return http.build();
    }

    /** Replaces the application's clock (Axon's too: the aggregates read it) and wraps the provider port. */
    @Bean
    static BeanPostProcessor benchInstruments() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof Clock clock && !(bean instanceof ShiftableClock)) {
                    ShiftableClock shiftable = new ShiftableClock(clock);
                    GenericEventMessage.clock = shiftable;
                    return shiftable;
                }
                if (bean instanceof ProviderExchange exchange && !(bean instanceof ExchangeProbe)) {
                    return new ExchangeProbe(exchange);
                }
                return bean;
            }
        };
    }
}
