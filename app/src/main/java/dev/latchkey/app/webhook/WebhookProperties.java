package dev.latchkey.app.webhook;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Webhook deliveries ({@code latchkey.webhooks.*}): how each node's dispatcher sends them.
 *
 * @param interval how often a node looks for due deliveries besides being woken by its own new ones; 0 turns the
 *     dispatcher off
 * @param parallelism how many deliveries a node sends at once (none holds a database connection while it waits)
 * @param timeout the whole of one attempt: connecting, sending and the receiver's answer
 * @param lease how long a claim holds off other nodes; a claim of a node that died is taken over after it. At least
 *     twice the timeout and 10 s: a claimed delivery may wait for one attempt of its node before its own
 */
@ConfigurationProperties(prefix = "latchkey.webhooks")
public record WebhookProperties(
        @DefaultValue("1s") Duration interval,
        @DefaultValue("16") int parallelism,
        @DefaultValue("15s") Duration timeout,
        @DefaultValue("60s") Duration lease) {

    public WebhookProperties {
        if (parallelism < 1 || interval.isNegative() || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("latchkey.webhooks.*: parallelism and timeout must be positive");
        }
        if (lease.compareTo(timeout.multipliedBy(2).plusSeconds(10)) < 0) {
            throw new IllegalArgumentException(
                    "latchkey.webhooks.lease must be at least twice latchkey.webhooks.timeout + 10s");
        }
    }
}
