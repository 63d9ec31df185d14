package dev.latchkey.domain.connection;

/** The code was exchanged for tokens: the connection is active. Also the end of a successful reconnect. */
public record ConnectionEstablished(ConnectionId connectionId, TokenSet tokens, String handle)
        implements ConnectionEvent {}
