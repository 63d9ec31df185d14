package dev.latchkey.app.connection;

import dev.latchkey.app.flow.ConnectionTarget;
import dev.latchkey.app.flow.Revocation;
import dev.latchkey.app.writemodel.Actor;
import dev.latchkey.domain.connection.ConnectionRevokedException;
import dev.latchkey.query.connection.ConnectionQueries;
import dev.latchkey.query.connection.ConnectionRow;
import dev.latchkey.query.connection.FindAbandonedPendingConnections;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * A connection whose consent was never completed stays pending forever otherwise: once nothing happened to it for
 * {@link #PENDING_LIFETIME} (its state expired long before), it is revoked through the aggregate, as a disconnect
 * by the system (no token, so no provider call). It leaves every list; its history stays.
 */
@Component
public class AbandonedConnections {

    /** Far beyond the state's 10 minutes: a person who comes back the same day still sees the pending row. */
    public static final Duration PENDING_LIFETIME = Duration.ofHours(24);

    static final int BATCH = 100;
    static final int MAX_BATCHES = 10;

    private static final Logger log = LoggerFactory.getLogger(AbandonedConnections.class);

    private final ConnectionQueries connections;
    private final Revocation revocation;
    private final Clock clock;

    public AbandonedConnections(ConnectionQueries connections, Revocation revocation, Clock clock) {
        this.connections = connections;
        this.revocation = revocation;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "PT10M", initialDelayString = "PT2M")
    public void expire() {
        try {
            expire(clock.instant());
        } catch (RuntimeException e) {
            log.warn(
                    "expiring abandoned pending connections failed: {}",
                    e.getClass().getSimpleName());
        }
    }

    /** @return how many pending connections untouched since {@code now} − {@link #PENDING_LIFETIME} were revoked */
    public int expire(Instant now) {
        int total = 0;
        for (int batch = 0; batch < MAX_BATCHES; batch++) {
            List<ConnectionRow> abandoned = connections
                    .handle(new FindAbandonedPendingConnections(now.minus(PENDING_LIFETIME), BATCH))
                    .items();
            for (ConnectionRow row : abandoned) {
                try {
                    revocation.revoke(
                            ConnectionTarget.of(row),
                            null,
                            null,
                            Actor.system("pending-expiry", row.connection().workspaceId()));
                    total++;
                } catch (ConnectionRevokedException e) {
                    // revoked meanwhile
                } catch (RuntimeException e) {
                    log.warn(
                            "expiring pending connection {} failed: {}",
                            row.connection().id(),
                            e.getClass().getSimpleName());
                }
            }
            if (abandoned.size() < BATCH) {
                break;
            }
        }
        return total;
    }
}
