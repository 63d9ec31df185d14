package dev.latchkey.domain.connection;

import org.axonframework.serialization.Revision;

/** Disconnected, whatever the provider answered to the revocation. Terminal. */
@Revision("1")
public record ConnectionRevoked(
        ConnectionId connectionId, RevocationOutcome refreshToken, RevocationOutcome accessToken)
        implements ConnectionEvent {}
