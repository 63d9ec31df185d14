package dev.latchkey.app.application;

import dev.latchkey.app.flow.ConnectionTarget;
import dev.latchkey.app.flow.Revocation;
import dev.latchkey.app.provider.UninstalledApplicationClients;
import dev.latchkey.app.writemodel.Actor;
import dev.latchkey.domain.application.ApplicationId;
import dev.latchkey.domain.application.ProviderName;
import dev.latchkey.domain.connection.ConnectionId;
import dev.latchkey.domain.connection.ConnectionRevokedException;
import dev.latchkey.domain.connection.RevocationOutcome;
import dev.latchkey.domain.connection.WorkspaceId;
import dev.latchkey.domain.provider.ProviderClient;
import dev.latchkey.domain.provider.RevocationResult;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * The second step of an uninstall, on every node: claims due {@code pending_revocation} rows ({@code FOR UPDATE
 * SKIP LOCKED} in one short statement, with a lease), revokes each connection at the provider outside any
 * transaction with the OAuth client the application had before the uninstall ({@link UninstalledApplicationClients}),
 * and records the attempt. A provider that fails is tried again after an exponential backoff with jitter; after
 * {@link UninstallProperties#maxAttempts()} the connection is recorded revoked anyway, outcome failed. A node that
 * dies mid-way leaves its claims to expire; any node takes them over, and the aggregate revokes a connection once.
 */
@Component
public class UninstallRevocations {

    private static final Logger log = LoggerFactory.getLogger(UninstallRevocations.class);

    /** A claimed row: what one attempt needs. */
    record Claimed(
            ConnectionId connectionId,
            WorkspaceId workspaceId,
            ApplicationId applicationId,
            ProviderName providerName,
            long uninstallSequence,
            String requestedBy,
            int attempt) {}

    private final JdbcTemplate jdbc;
    private final Revocation revocation;
    private final UninstalledApplicationClients clients;
    private final UninstallProperties properties;
    private final Clock clock;

    @Autowired
    public UninstallRevocations(
            JdbcTemplate jdbc,
            Revocation revocation,
            UninstalledApplicationClients clients,
            UninstallProperties properties,
            Clock clock,
            TaskScheduler scheduler) {
        this(jdbc, revocation, clients, properties, clock);
        if (!properties.interval().isZero()) {
            scheduler.scheduleWithFixedDelay(this::runQuietly, properties.interval());
        }
    }

    /** A worker that is not scheduled: tests run it by hand, as a node would. */
    UninstallRevocations(
            JdbcTemplate jdbc,
            Revocation revocation,
            UninstalledApplicationClients clients,
            UninstallProperties properties,
            Clock clock) {
        this.jdbc = jdbc;
        this.revocation = revocation;
        this.clients = clients;
        this.properties = properties;
        this.clock = clock;
    }

    private void runQuietly() {
        try {
            runDue(clock.instant());
        } catch (RuntimeException e) {
            log.warn("the uninstall revocations could not run: {}", e.getClass().getSimpleName());
        }
    }

    /**
     * Claims the rows due at {@code now} and attempts each.
     *
     * @return how many were attempted
     */
    public int runDue(Instant now) {
        List<Claimed> claimed = claim(now);
        Map<String, Optional<ProviderClient>> clientsOfRun = new HashMap<>();
        for (Claimed row : claimed) {
            attempt(row, now, clientsOfRun);
        }
        return claimed.size();
    }

    /** One short statement: the due rows no other node holds become this node's until the lease ends. */
    List<Claimed> claim(Instant now) {
        return jdbc.query(
                """
                update pending_revocation set claimed_until = ?, attempts = attempts + 1
                where connection_id in (
                    select connection_id from pending_revocation
                    where done_at is null and due_at <= ? and (claimed_until is null or claimed_until <= ?)
                    order by due_at, connection_id
                    limit ?
                    for update skip locked)
                returning connection_id, workspace_id, application_id, provider_name, uninstall_sequence,
                          requested_by, attempts
                """,
                (rs, n) -> new Claimed(
                        ConnectionId.of(rs.getString("connection_id")),
                        WorkspaceId.of(rs.getString("workspace_id")),
                        ApplicationId.of(rs.getString("application_id")),
                        ProviderName.of(rs.getString("provider_name")),
                        rs.getLong("uninstall_sequence"),
                        rs.getString("requested_by"),
                        rs.getInt("attempts")),
                Timestamp.from(now.plus(properties.lease())),
                Timestamp.from(now),
                Timestamp.from(now),
                properties.batch());
    }

    /** Outside any transaction: the provider call holds no database connection. */
    void attempt(Claimed row, Instant now, Map<String, Optional<ProviderClient>> clientsOfRun) {
        ConnectionTarget target =
                new ConnectionTarget(row.connectionId(), row.workspaceId(), row.applicationId(), row.providerName());
        Actor actor = Actor.system("uninstall:" + row.requestedBy(), row.workspaceId());
        try {
            Optional<ProviderClient> client = clientsOfRun.computeIfAbsent(
                    row.applicationId().value() + "/" + row.uninstallSequence() + "/"
                            + row.providerName().value(),
                    key -> clients.beforeUninstall(row.applicationId(), row.uninstallSequence(), row.providerName()));
            boolean last = row.attempt() >= properties.maxAttempts() || client.isEmpty();
            Optional<RevocationResult> result = last
                    ? Optional.of(revocation.revoke(target, null, client.orElse(null), actor))
                    : revocation.attempt(target, client.get(), actor);
            if (result.isPresent()) {
                done(row, outcome(result.get()));
            } else {
                retryLater(row, now, "failed");
            }
        } catch (ConnectionRevokedException e) {
            done(row, "already-revoked");
        } catch (RuntimeException e) {
            log.warn(
                    "revoking connection {} of an uninstalled application failed (attempt {}): {}",
                    row.connectionId(),
                    row.attempt(),
                    e.getClass().getSimpleName());
            retryLater(row, now, "error");
        }
    }

    private void done(Claimed row, String outcome) {
        jdbc.update(
                "update pending_revocation set done_at = ?, claimed_until = null, last_outcome = ? where connection_id = ?",
                Timestamp.from(clock.instant()),
                outcome,
                row.connectionId().value());
    }

    private void retryLater(Claimed row, Instant now, String outcome) {
        jdbc.update(
                """
                update pending_revocation set due_at = ?, claimed_until = null, last_outcome = ?
                where connection_id = ? and done_at is null
                """,
                Timestamp.from(now.plus(backoff(row.attempt()))),
                outcome,
                row.connectionId().value());
    }

    /** After the n-th failed attempt: first backoff × 2^(n−1), at most the longest, ±20 %. */
    Duration backoff(int attempt) {
        long first = properties.firstBackoff().toMillis();
        long longest = properties.maxBackoff().toMillis();
        long base = Math.min(longest, first << Math.min(attempt - 1, 30));
        double jitter = 0.8 + 0.4 * ThreadLocalRandom.current().nextDouble();
        return Duration.ofMillis(Math.round(base * jitter));
    }

    private static String outcome(RevocationResult result) {
        if (result.refreshToken() == RevocationOutcome.FAILED || result.accessToken() == RevocationOutcome.FAILED) {
            return "failed";
        }
        if (result.refreshToken() == RevocationOutcome.REVOKED || result.accessToken() == RevocationOutcome.REVOKED) {
            return "revoked";
        }
        return "unsupported";
    }
}
