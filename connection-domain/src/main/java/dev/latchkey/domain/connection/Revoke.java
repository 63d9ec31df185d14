package dev.latchkey.domain.connection;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Disconnect, after the provider revocation was attempted (its outcome is recorded as given). Terminal.
 *
 * @param requestedBy the member who asked, or null when the system does it (the application was uninstalled)
 */
public record Revoke(
        @TargetAggregateIdentifier ConnectionId connectionId,
        UserWorkspaceId requestedBy,
        RevocationOutcome refreshToken,
        RevocationOutcome accessToken) {}
