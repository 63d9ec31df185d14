package dev.latchkey.domain.connection;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Decide to disconnect. The aggregate checks who may, records {@link RevocationStarted} (no refresh is decided after
 * it) and answers a {@link RevocationDecision} with the sealed tokens to revoke at the provider; the caller then
 * revokes them and sends {@link RecordRevocation}.
 *
 * @param requestedBy the member who asked, or null when the system does it (the application was uninstalled)
 */
public record Revoke(@TargetAggregateIdentifier ConnectionId connectionId, UserWorkspaceId requestedBy) {}
