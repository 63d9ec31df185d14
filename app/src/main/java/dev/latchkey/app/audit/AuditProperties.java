package dev.latchkey.app.audit;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The audit log's settings ({@code latchkey.audit.*}).
 *
 * @param settleTimeout how long a read of {@code /v1/events} waits for the appends in flight when it started to
 *     commit or roll back; past it, the page ends where the log was last known to be settled
 * @param maxPageSize the largest {@code limit} of {@code /v1/events}
 * @param defaultPageSize the {@code limit} when none is given
 */
@ConfigurationProperties(prefix = "latchkey.audit")
public record AuditProperties(
        @DefaultValue("1s") Duration settleTimeout,
        @DefaultValue("1000") int maxPageSize,
        @DefaultValue("100") int defaultPageSize) {

    public AuditProperties {
        if (settleTimeout.isNegative()) {
            throw new IllegalArgumentException("latchkey.audit.settle-timeout must not be negative");
        }
        if (defaultPageSize < 1 || defaultPageSize > maxPageSize) {
            throw new IllegalArgumentException("latchkey.audit.default-page-size must be between 1 and max-page-size");
        }
    }
}
