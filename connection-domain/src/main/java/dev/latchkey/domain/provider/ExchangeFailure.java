package dev.latchkey.domain.provider;

import dev.latchkey.domain.connection.FailureKind;
import java.time.Duration;

/**
 * A token request that failed, classified. {@code reason} is an OAuth error code or a short description such as
 * {@code http-503} or {@code timeout}: never a provider body, which may echo secrets.
 */
public sealed interface ExchangeFailure extends ExchangeResult {

    String reason();

    FailureKind kind();

    /** The grant is dead ({@code invalid_grant}): the person must reconnect. */
    record GrantRevoked(String reason) implements ExchangeFailure {
        @Override
        public FailureKind kind() {
            return FailureKind.GRANT_REVOKED;
        }
    }

    /** {@code invalid_client} / {@code unauthorized_client} and the like: the server admin must fix the app. */
    record ClientMisconfigured(String reason) implements ExchangeFailure {
        @Override
        public FailureKind kind() {
            return FailureKind.CLIENT_MISCONFIGURED;
        }
    }

    /** Network, timeout, 429, 5xx, an unreadable body: try later, after {@code retryAfter} when given. */
    record Transient(String reason, Duration retryAfter) implements ExchangeFailure {
        @Override
        public FailureKind kind() {
            return FailureKind.TRANSIENT;
        }
    }
}
