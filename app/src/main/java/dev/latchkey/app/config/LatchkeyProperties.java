package dev.latchkey.app.config;

import dev.latchkey.domain.secret.Secret;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Latchkey's own settings ({@code latchkey.*}, or the {@code LATCHKEY_*} environment variables of API.md). The
 * defaults are written here and only here; {@code application.yml} documents them.
 *
 * @param publicUrl the base URL browsers and providers reach; the callback is {@code <publicUrl>/apps/oauth/callback}
 * @param jwtSecret HS256 secret for caller tokens, or null
 * @param allowInsecureLoopback allow plain {@code http://} provider endpoints on loopback addresses
 * @param refreshAhead a token expiring within this is refreshed before it is handed out
 * @param dataDir the embedded PostgreSQL's data and the generated keys
 * @param masterKeys {@code id:base64,…} (the first one seals), or null to use the keys generated into the data dir
 * @param refreshLease how long a decided refresh holds off others: longer than every wait the refresh can meet (see
 *     {@link #requireLeaseOutlives(Duration)})
 * @param providerConnectTimeout connect timeout of every provider exchange
 * @param providerReadTimeout read timeout of every provider exchange
 * @param scheduledRefreshInterval how often the scheduler looks for connections whose scheduled refresh has come;
 *     zero turns it off
 * @param refreshRecordRetry how long recording a refresh's new tokens is retried through database errors before they
 *     are revoked at the provider
 * @param scheduledRefreshParallelism how many refreshes the scheduler runs at once on this node: none holds a database
 *     connection while it waits for the provider, so this may exceed the pool
 */
@ConfigurationProperties(prefix = "latchkey")
public record LatchkeyProperties(
        @DefaultValue("http://localhost:8080") URI publicUrl,
        Secret jwtSecret,
        @DefaultValue("false") boolean allowInsecureLoopback,
        @DefaultValue("60s") Duration refreshAhead,
        @DefaultValue("./data") Path dataDir,
        Secret masterKeys,
        @DefaultValue("75s") Duration refreshLease,
        @DefaultValue("3s") Duration providerConnectTimeout,
        @DefaultValue("10s") Duration providerReadTimeout,
        @DefaultValue("5s") Duration scheduledRefreshInterval,
        @DefaultValue("10s") Duration refreshRecordRetry,
        @DefaultValue("32") int scheduledRefreshParallelism) {

    /**
     * What the lease keeps besides the waits it is checked against: the decision's own commit, preparing the exchange
     * (the OAuth client, unsealing) and clocks that differ a little between nodes. A refresh whose preparation took
     * longer does not call the provider.
     */
    public static final Duration LEASE_MARGIN = Duration.ofSeconds(5);

    public LatchkeyProperties {
        if (refreshAhead.isNegative()) {
            throw new IllegalArgumentException("latchkey.refresh-ahead must not be negative");
        }
        if (scheduledRefreshParallelism < 1) {
            throw new IllegalArgumentException("latchkey.scheduled-refresh-parallelism must be at least 1");
        }
        if (refreshRecordRetry.isNegative()) {
            throw new IllegalArgumentException("latchkey.refresh-record-retry must not be negative");
        }
        // the fields are not assigned yet in a compact constructor: check with the parameters
        requireLeaseOutlives(
                refreshLease, providerConnectTimeout, providerReadTimeout, refreshRecordRetry, Duration.ZERO);
    }

    /** The longest a provider exchange can take: connect, then a read for the answer and one for the body. */
    public Duration providerExchangeDeadline() {
        return providerConnectTimeout.plus(providerReadTimeout.multipliedBy(2));
    }

    /**
     * The longest a refresh can take from its decision to its recorded outcome, when each database call may wait
     * {@code poolWait} for a pooled connection: preparing, the exchange, then recording retried for
     * {@link #refreshRecordRetry} whose last attempt may wait for the pool once more.
     */
    public Duration refreshWorstCase(Duration poolWait) {
        return providerExchangeDeadline().plus(refreshRecordRetry).plus(poolWait);
    }

    /**
     * Refuses a lease that a refresh could outlive: another node would then decide again and spend the same refresh
     * token (issue 11, item 4). Checked at binding without the pool, and at start-up with the pool's connection
     * timeout.
     */
    public void requireLeaseOutlives(Duration poolWait) {
        requireLeaseOutlives(refreshLease, providerConnectTimeout, providerReadTimeout, refreshRecordRetry, poolWait);
    }

    private static void requireLeaseOutlives(
            Duration refreshLease, Duration connect, Duration read, Duration recordRetry, Duration poolWait) {
        Duration needed = connect.plus(read.multipliedBy(2))
                .plus(recordRetry)
                .plus(poolWait)
                .plus(LEASE_MARGIN);
        if (refreshLease.compareTo(needed) <= 0) {
            throw new IllegalArgumentException("latchkey.refresh-lease (" + refreshLease.toSeconds()
                    + " s) must be longer than every wait a refresh can meet: provider connect + 2 x read timeout + "
                    + "the database pool's connection timeout (" + poolWait.toMillis() + " ms) + "
                    + "latchkey.refresh-record-retry + " + LEASE_MARGIN.toSeconds() + " s, together "
                    + needed.toMillis() + " ms");
        }
    }

    /** Where the embedded PostgreSQL keeps its cluster. */
    public Path postgresDir() {
        return dataDir.resolve("postgres");
    }
}
