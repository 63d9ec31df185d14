package dev.latchkey.domain.connection;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/** The grant is dead: the connection stays listed, without a token, until it is reconnected or deleted. */
@Revision("1")
public record ConnectionAuthFailed(ConnectionId connectionId, String reason, Instant failedAt)
        implements ConnectionEvent {}
