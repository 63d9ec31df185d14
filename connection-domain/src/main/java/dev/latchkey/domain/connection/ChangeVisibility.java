package dev.latchkey.domain.connection;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Only the owner changes a connection's visibility. */
public record ChangeVisibility(
        @TargetAggregateIdentifier ConnectionId connectionId, UserWorkspaceId requestedBy, Visibility visibility) {}
