package dev.latchkey.domain.connection;

/** The owner asked to consent again; the connection keeps its id and, until the callback, its tokens. */
public record ReconnectStarted(
        ConnectionId connectionId, UserWorkspaceId requestedBy, PendingAuthorization authorization)
        implements ConnectionEvent {}
