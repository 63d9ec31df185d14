package dev.latchkey.domain.connection;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record RecordCodeExchangeFailure(
        @TargetAggregateIdentifier ConnectionId connectionId, long decidedAt, FailureKind kind, String error) {}
