package dev.latchkey.domain.connection;

import org.axonframework.serialization.Revision;

@Revision("1")
public record ConnectionRenamed(ConnectionId connectionId, String name) implements ConnectionEvent {}
