package dev.latchkey.bench.server;

import com.zaxxer.hikari.HikariDataSource;
import dev.latchkey.app.writemodel.CommandSender;
import dev.latchkey.domain.provider.ProviderExchange;
import dev.latchkey.query.projection.ProjectionPositions;
import java.time.Clock;
import org.axonframework.eventhandling.GenericEventMessage;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
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
    ReplayBench.class,
    Meter.class,
    PeerListController.class,
    RowLockRefreshBench.class,
    ViewLagBench.class,
    ScheduleBench.class
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

    /** Where the wrapped command sender and projection positions add up their times. */
    static final PhaseTimes PHASES = new PhaseTimes();

    @Bean
    PhaseTimes phaseTimes() {
        return PHASES;
    }

    /**
     * Replaces the application's clock (Axon's too: the aggregates read it) and wraps the provider port, the command
     * sender and the projection positions to time them. With {@code bench.count-statements} (the benchmark driver
     * sets it, the soak does not), the pool's physical connections come through {@link StatementCounter}.
     */
    @Bean
    static BeanPostProcessor benchInstruments(Environment environment) {
        boolean countStatements = environment.getProperty("bench.count-statements", Boolean.class, false);
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (countStatements && bean instanceof HikariDataSource pool && pool.getDataSource() == null) {
                    // the pool has not started yet (it starts on the first getConnection): its settings still bind
                    pool.setDataSource(StatementCounter.dataSource(
                            pool.getJdbcUrl(), pool.getUsername(), pool.getPassword(), pool.getDataSourceProperties()));
                    return pool;
                }
                if (bean instanceof Clock clock && !(bean instanceof ShiftableClock)) {
                    ShiftableClock shiftable = new ShiftableClock(clock);
                    GenericEventMessage.clock = shiftable;
                    return shiftable;
                }
                if (bean instanceof ProviderExchange exchange && !(bean instanceof ExchangeProbe)) {
                    return new ExchangeProbe(exchange);
                }
                if (bean instanceof CommandSender commands && !(bean instanceof TimedCommandSender)) {
                    return new TimedCommandSender(commands, PHASES);
                }
                if (bean instanceof ProjectionPositions positions && !(bean instanceof TimedProjectionPositions)) {
                    return new TimedProjectionPositions(positions, PHASES);
                }
                return bean;
            }
        };
    }
}
