package dev.latchkey.oauth;

import java.time.Duration;
import java.util.Objects;

/**
 * How the adapter talks HTTP to providers.
 *
 * @param connectTimeout the longest wait for a TCP (and TLS) connection
 * @param readTimeout the longest wait for any one read, the response headers included
 * @param maxBodyBytes the largest response body read; a longer one is refused while it is being read
 * @param allowInsecureLoopback {@code LATCHKEY_ALLOW_INSECURE_LOOPBACK}: plain {@code http} and loopback addresses
 *     allowed (development and tests); private and link-local addresses stay refused
 */
public record ProviderExchangeSettings(
        Duration connectTimeout, Duration readTimeout, int maxBodyBytes, boolean allowInsecureLoopback) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(3);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(5);
    public static final int DEFAULT_MAX_BODY_BYTES = 256 * 1024;

    public ProviderExchangeSettings {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(readTimeout, "readTimeout");
        if (connectTimeout.isNegative()
                || connectTimeout.isZero()
                || readTimeout.isNegative()
                || readTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive (zero would mean: wait forever)");
        }
        if (maxBodyBytes <= 0) {
            throw new IllegalArgumentException("maxBodyBytes must be positive");
        }
    }

    public static ProviderExchangeSettings defaults() {
        return new ProviderExchangeSettings(
                DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT, DEFAULT_MAX_BODY_BYTES, false);
    }

    public ProviderExchangeSettings withAllowInsecureLoopback(boolean allow) {
        return new ProviderExchangeSettings(connectTimeout, readTimeout, maxBodyBytes, allow);
    }

    public ProviderExchangeSettings withTimeouts(Duration connect, Duration read) {
        return new ProviderExchangeSettings(connect, read, maxBodyBytes, allowInsecureLoopback);
    }

    /**
     * The deadline for one whole call. Read timeouts apply per read, so a provider dripping one byte at a time could
     * otherwise hold a thread for as long as it likes.
     */
    public Duration callTimeout() {
        return connectTimeout.plus(readTimeout.multipliedBy(2));
    }
}
