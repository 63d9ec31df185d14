package dev.latchkey.domain.connection;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/**
 * A refresh attempt failed; the connection keeps its tokens.
 *
 * @param reason an OAuth error code or a short classification (e.g. {@code http-503}), never a provider body
 * @param retryAfter when the provider said to try again, or null
 */
@Revision("1")
public record RefreshFailed(
        ConnectionId connectionId, long decidedAt, FailureKind kind, String reason, Instant retryAfter)
        implements ConnectionEvent {}
