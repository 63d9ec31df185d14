package dev.latchkey.domain.connection;

import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record RecordRefreshFailure(
        @TargetAggregateIdentifier ConnectionId connectionId,
        long decidedAt,
        FailureKind kind,
        String reason,
        Instant retryAfter) {}
