package dev.latchkey.domain.connection;

import org.axonframework.serialization.Revision;

/** The owner asked to consent again; the connection keeps its id and, until the callback, its tokens. */
@Revision("1")
public record ReconnectStarted(
        ConnectionId connectionId, UserWorkspaceId requestedBy, PendingAuthorization authorization)
        implements ConnectionEvent {}
