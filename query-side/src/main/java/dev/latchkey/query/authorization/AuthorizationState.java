package dev.latchkey.query.authorization;

import dev.latchkey.domain.connection.ConnectionId;
import java.time.Instant;

/**
 * A pending OAuth state: which connection the callback carrying it belongs to. The aggregate stays the judge of
 * whether the state is valid, unused, unexpired and bound to the browser; this only says where to ask.
 */
public record AuthorizationState(String stateDigest, ConnectionId connectionId, Instant expiresAt) {}
