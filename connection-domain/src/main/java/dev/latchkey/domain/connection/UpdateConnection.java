package dev.latchkey.domain.connection;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * A member renames a connection, changes its visibility, or both at once: decided together, so both are stored or
 * neither. A null field is left as it is.
 */
public record UpdateConnection(
        @TargetAggregateIdentifier ConnectionId connectionId,
        UserWorkspaceId requestedBy,
        String name,
        Visibility visibility) {}
