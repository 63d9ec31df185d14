package dev.latchkey.domain.connection;

import java.time.Instant;

/** The grant is dead: the connection stays listed, without a token, until it is reconnected or deleted. */
public record ConnectionAuthFailed(ConnectionId connectionId, String reason, Instant failedAt)
        implements ConnectionEvent {}
