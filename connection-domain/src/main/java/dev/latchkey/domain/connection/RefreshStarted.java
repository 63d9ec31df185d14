package dev.latchkey.domain.connection;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/**
 * A refresh was decided and is in flight until {@code leaseExpiresAt}. The event's sequence number fences its
 * outcome; no other node starts a refresh of this connection while the lease holds.
 */
@Revision("1")
public record RefreshStarted(ConnectionId connectionId, Instant leaseExpiresAt) implements ConnectionEvent {}
