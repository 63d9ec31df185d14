package dev.latchkey.domain.connection;

/** Disconnected, whatever the provider answered to the revocation. Terminal. */
public record ConnectionRevoked(
        ConnectionId connectionId, RevocationOutcome refreshToken, RevocationOutcome accessToken)
        implements ConnectionEvent {}
