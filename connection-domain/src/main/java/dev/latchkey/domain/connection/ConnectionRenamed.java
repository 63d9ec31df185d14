package dev.latchkey.domain.connection;

public record ConnectionRenamed(ConnectionId connectionId, String name) implements ConnectionEvent {}
