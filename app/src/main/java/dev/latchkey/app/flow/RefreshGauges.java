package dev.latchkey.app.flow;

import dev.latchkey.query.connection.ConnectionHealth;
import dev.latchkey.query.connection.ConnectionQueries;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * {@code latchkey_refresh_backlog}: connections whose scheduled refresh has come and not yet run (read through the
 * schedule's index, so cheap at any size); {@code latchkey_connections{health}}: connections by health state (a scan
 * of the view, so read at most once a minute). NaN while the database is away.
 */
@Component
class RefreshGauges {

    static final Duration HEALTH_COUNTS_KEPT = Duration.ofMinutes(1);

    private final ConnectionQueries connections;
    private final Clock clock;
    private volatile Map<String, Long> healthCounts;
    private volatile Instant healthCountedAt;

    RefreshGauges(MeterRegistry registry, ConnectionQueries connections, Clock clock) {
        this.connections = connections;
        this.clock = clock;
        Gauge.builder("latchkey.refresh.backlog", this::backlog)
                .description("connections whose scheduled refresh has come and not yet run")
                .register(registry);
        for (String state : new String[] {ConnectionHealth.OK, ConnectionHealth.RETRYING, ConnectionHealth.EXPIRING}) {
            Gauge.builder("latchkey.connections", () -> healthCount(state))
                    .tag("health", state)
                    .description("connections by health state")
                    .register(registry);
        }
    }

    private double backlog() {
        try {
            return connections.refreshBacklog(clock.instant());
        } catch (RuntimeException databaseAway) {
            return Double.NaN;
        }
    }

    private double healthCount(String state) {
        Instant now = clock.instant();
        try {
            if (healthCounts == null || healthCountedAt.plus(HEALTH_COUNTS_KEPT).isBefore(now)) {
                healthCounts = connections.countByHealth(now);
                healthCountedAt = now;
            }
            return healthCounts.getOrDefault(state, 0L);
        } catch (RuntimeException databaseAway) {
            return Double.NaN;
        }
    }
}
