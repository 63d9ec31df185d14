package dev.latchkey.domain.connection;

import org.axonframework.serialization.Revision;

@Revision("1")
public record VisibilityChanged(ConnectionId connectionId, Visibility visibility) implements ConnectionEvent {}
