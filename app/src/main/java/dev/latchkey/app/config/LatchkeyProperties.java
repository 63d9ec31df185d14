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
 * @param refreshLease how long a decided refresh holds off others: longer than a provider exchange can take
 * @param providerConnectTimeout connect timeout of every provider exchange
 * @param providerReadTimeout read timeout of every provider exchange
 * @param scheduledRefreshInterval how often the scheduler refreshes tokens that will expire soon; zero turns it off
 */
@ConfigurationProperties(prefix = "latchkey")
public record LatchkeyProperties(
        @DefaultValue("http://localhost:8080") URI publicUrl,
        Secret jwtSecret,
        @DefaultValue("false") boolean allowInsecureLoopback,
        @DefaultValue("60s") Duration refreshAhead,
        @DefaultValue("./data") Path dataDir,
        Secret masterKeys,
        @DefaultValue("30s") Duration refreshLease,
        @DefaultValue("3s") Duration providerConnectTimeout,
        @DefaultValue("10s") Duration providerReadTimeout,
        @DefaultValue("30s") Duration scheduledRefreshInterval) {

    public LatchkeyProperties {
        if (refreshAhead.isNegative()) {
            throw new IllegalArgumentException("latchkey.refresh-ahead must not be negative");
        }
        if (refreshLease.compareTo(providerConnectTimeout.plus(providerReadTimeout.multipliedBy(2))) <= 0) {
            throw new IllegalArgumentException(
                    "latchkey.refresh-lease must be longer than a provider exchange can take (connect + 2 x read timeout)");
        }
    }

    /** Where the embedded PostgreSQL keeps its cluster. */
    public Path postgresDir() {
        return dataDir.resolve("postgres");
    }
}
