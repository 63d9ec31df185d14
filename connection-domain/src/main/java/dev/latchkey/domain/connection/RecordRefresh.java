package dev.latchkey.domain.connection;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Record new tokens from a refresh. A missing refresh token means "keep the old one".
 *
 * @param decidedAt the {@link RefreshDecision.Proceed#decidedAt()} this answers; refused with
 *     {@link StaleOutcomeException} unless it is still the open refresh decision
 */
public record RecordRefresh(@TargetAggregateIdentifier ConnectionId connectionId, long decidedAt, TokenSet tokens) {}
