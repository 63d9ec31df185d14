package dev.latchkey.app.webhook;

import dev.latchkey.query.connection.ConnectionHealth;
import dev.latchkey.query.projection.SqlInstants;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code connection.expiring} is entered by time, not by an event: every minute a node announces the active
 * connections whose refresh token lapses within {@link ConnectionHealth#EXPIRING_WITHIN}, once per expiry (a new
 * refresh token with a later end is announced again when that one nears). Rows are taken {@code FOR UPDATE SKIP
 * LOCKED}, so two nodes never announce one twice.
 */
@Component
public class ExpiringRefreshTokens {

    private static final Logger log = LoggerFactory.getLogger(ExpiringRefreshTokens.class);
    static final Duration EVERY = Duration.ofMinutes(1);
    static final int BATCH = 500;

    record Expiring(String connectionId, Instant refreshTokenExpiresAt) {}

    private final JdbcTemplate jdbc;
    private final WebhookDeliveryProcess process;
    private final TransactionTemplate transaction;
    private final Clock clock;

    @Autowired
    public ExpiringRefreshTokens(
            JdbcTemplate jdbc,
            WebhookDeliveryProcess process,
            PlatformTransactionManager transactions,
            Clock clock,
            TaskScheduler scheduler,
            WebhookProperties properties) {
        this.jdbc = jdbc;
        this.process = process;
        this.transaction = new TransactionTemplate(transactions);
        this.clock = clock;
        if (!properties.interval().isZero()) {
            scheduler.scheduleWithFixedDelay(this::runQuietly, EVERY);
        }
    }

    private void runQuietly() {
        try {
            announceDue();
        } catch (RuntimeException e) {
            log.warn(
                    "expiring refresh tokens could not be announced: {}",
                    e.getClass().getSimpleName());
        }
    }

    /** @return how many connections were announced */
    public int announceDue() {
        Instant now = clock.instant();
        Integer announced = transaction.execute(status -> {
            List<Expiring> due = jdbc.query(
                    """
                    select connection_id, refresh_token_expires_at from webhook_subject
                    where status = 'active' and refresh_token_expires_at is not null and refresh_token_expires_at <= ?
                      and expiring_announced_for is distinct from refresh_token_expires_at
                    order by refresh_token_expires_at limit ?
                    for update skip locked
                    """,
                    (rs, n) -> new Expiring(rs.getString(1), SqlInstants.get(rs, "refresh_token_expires_at")),
                    Timestamp.from(now.plus(ConnectionHealth.EXPIRING_WITHIN)),
                    BATCH);
            due.forEach(e -> process.announceExpiring(e.connectionId(), e.refreshTokenExpiresAt(), now));
            return due.size();
        });
        return announced == null ? 0 : announced;
    }
}
