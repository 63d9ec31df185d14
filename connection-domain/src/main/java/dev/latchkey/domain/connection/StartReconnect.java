package dev.latchkey.domain.connection;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Start a new consent for an existing connection; it keeps its id. */
public record StartReconnect(
        @TargetAggregateIdentifier ConnectionId connectionId,
        UserWorkspaceId requestedBy,
        PendingAuthorization authorization) {}
