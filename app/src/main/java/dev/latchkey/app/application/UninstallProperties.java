package dev.latchkey.app.application;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The uninstall process ({@code latchkey.uninstall.*}): how each node's worker revokes the connections of
 * uninstalled applications.
 *
 * @param interval how often a node looks for due revocations; 0 turns its worker off
 * @param batch how many revocations a node claims at once
 * @param lease how long a claim holds off other nodes; a claim of a node that died is taken over after it. Longer
 *     than a revocation can take (two provider calls within their timeouts, and the recording)
 * @param maxAttempts after this many failed attempts the connection is recorded revoked anyway, outcome failed
 * @param firstBackoff the wait after the first failed attempt; each later one doubles, with a jitter of ±20 %
 * @param maxBackoff no wait between attempts is longer
 */
@ConfigurationProperties(prefix = "latchkey.uninstall")
public record UninstallProperties(
        @DefaultValue("2s") Duration interval,
        @DefaultValue("50") int batch,
        @DefaultValue("2m") Duration lease,
        @DefaultValue("8") int maxAttempts,
        @DefaultValue("5s") Duration firstBackoff,
        @DefaultValue("1h") Duration maxBackoff) {

    public UninstallProperties {
        if (batch < 1 || maxAttempts < 1 || interval.isNegative() || lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("latchkey.uninstall.*: batch, max-attempts and lease must be positive");
        }
    }
}
