package dev.latchkey.domain.connection;

import org.axonframework.serialization.Revision;

/** A disconnect was decided: the tokens are being revoked at the provider and no refresh starts any more. */
@Revision("1")
public record RevocationStarted(ConnectionId connectionId) implements ConnectionEvent {}
