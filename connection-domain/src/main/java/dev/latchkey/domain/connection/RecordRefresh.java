package dev.latchkey.domain.connection;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Record new tokens from a refresh. A missing refresh token means "keep the old one". */
public record RecordRefresh(@TargetAggregateIdentifier ConnectionId connectionId, long decidedAt, TokenSet tokens) {}
