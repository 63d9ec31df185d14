package dev.latchkey.app.flow;

import com.zaxxer.hikari.HikariDataSource;
import dev.latchkey.app.config.LatchkeyProperties;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The time a refresh may spend under its lease, so the lease outlives every wait the refresh can meet and no other
 * node decides again while this one still holds a spent refresh token's successor: the provider is called only while
 * the lease still covers the exchange, the recording retries and one more wait for a pooled connection. The
 * application does not start with a lease shorter than that ({@link LatchkeyProperties#requireLeaseOutlives}).
 */
@Component
public class RefreshBudget {

    /** Hikari's default {@code connection-timeout}, assumed when the pool is not Hikari. */
    static final Duration DEFAULT_POOL_WAIT = Duration.ofSeconds(30);

    /** Kept back from the lease for the outcome's commit and for clocks that differ a little between nodes. */
    static final Duration SKEW = Duration.ofSeconds(2);

    private final Duration lease;
    private final Duration recordRetry;
    private final Duration worstCase;

    @Autowired
    public RefreshBudget(LatchkeyProperties properties, ObjectProvider<DataSource> dataSource) {
        this(properties, poolWaitOf(dataSource.getIfAvailable()));
    }

    public RefreshBudget(LatchkeyProperties properties, Duration poolWait) {
        properties.requireLeaseOutlives(poolWait);
        this.lease = properties.refreshLease();
        this.recordRetry = properties.refreshRecordRetry();
        this.worstCase = properties.refreshWorstCase(poolWait);
    }

    /**
     * The last moment the provider may be called for a refresh whose decision was sent at {@code decisionSent} (the
     * lease, taken when the aggregate decided, runs at least until {@code decisionSent + lease}).
     */
    public Instant exchangeStartBy(Instant decisionSent) {
        return decisionSent.plus(lease).minus(worstCase).minus(SKEW);
    }

    /** How long recording new tokens is retried through database errors, counted from the provider's answer. */
    public Duration recordRetry() {
        return recordRetry;
    }

    static Duration poolWaitOf(DataSource dataSource) {
        try {
            if (dataSource != null && dataSource.isWrapperFor(HikariDataSource.class)) {
                return Duration.ofMillis(
                        dataSource.unwrap(HikariDataSource.class).getConnectionTimeout());
            }
        } catch (SQLException e) {
            // not a pool we can read: assume Hikari's default
        }
        return DEFAULT_POOL_WAIT;
    }
}
