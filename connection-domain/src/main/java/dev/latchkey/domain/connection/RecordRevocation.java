package dev.latchkey.domain.connection;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Record a disconnect decided at {@code decidedAt}, with what the provider answered to the revocation. Refused
 * ({@link StaleOutcomeException}) when tokens were recorded after the decision: those were not revoked, so the caller
 * decides again.
 */
public record RecordRevocation(
        @TargetAggregateIdentifier ConnectionId connectionId,
        long decidedAt,
        RevocationOutcome refreshToken,
        RevocationOutcome accessToken) {}
