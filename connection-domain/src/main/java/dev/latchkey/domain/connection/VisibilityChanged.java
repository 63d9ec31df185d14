package dev.latchkey.domain.connection;

public record VisibilityChanged(ConnectionId connectionId, Visibility visibility) implements ConnectionEvent {}
