package dev.latchkey.domain.connection;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record RenameConnection(
        @TargetAggregateIdentifier ConnectionId connectionId, UserWorkspaceId requestedBy, String name) {}
