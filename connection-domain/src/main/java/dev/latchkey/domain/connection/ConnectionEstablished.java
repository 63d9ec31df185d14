package dev.latchkey.domain.connection;

import org.axonframework.serialization.Revision;

/** The code was exchanged for tokens: the connection is active. Also the end of a successful reconnect. */
@Revision("1")
public record ConnectionEstablished(ConnectionId connectionId, TokenSet tokens, String handle)
        implements ConnectionEvent {}
