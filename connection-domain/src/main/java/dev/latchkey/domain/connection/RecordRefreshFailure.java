package dev.latchkey.domain.connection;

import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Record that a refresh failed.
 *
 * @param decidedAt the {@link RefreshDecision.Proceed#decidedAt()} this answers; refused with
 *     {@link StaleOutcomeException} unless it is still the open refresh decision
 */
public record RecordRefreshFailure(
        @TargetAggregateIdentifier ConnectionId connectionId,
        long decidedAt,
        FailureKind kind,
        String reason,
        Instant retryAfter) {}
