package dev.latchkey.app.connection;

import dev.latchkey.domain.connection.ConnectionId;
import java.net.URI;
import java.time.Instant;

/** The answer to starting or reconnecting: where the person's browser goes, and until when that link works. */
public record StartedAuthorization(ConnectionId connectionId, URI authorizeUrl, Instant expiresAt) {}
