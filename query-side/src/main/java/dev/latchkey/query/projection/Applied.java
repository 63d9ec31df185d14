package dev.latchkey.query.projection;

import java.time.Instant;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;

/**
 * Where one event sits: its aggregate's sequence number (the idempotency guard), its timestamp (so a replay writes
 * the same times) and, when a streaming processor delivers it, its global position (-1 otherwise).
 */
public record Applied(long sequence, Instant at, long position) {

    public static Applied of(DomainEventMessage<?> message) {
        return new Applied(message.getSequenceNumber(), message.getTimestamp(), positionOf(message));
    }

    /** The global position of an event a streaming processor delivered, or -1. */
    public static long positionOf(EventMessage<?> message) {
        if (message instanceof TrackedEventMessage<?> tracked && tracked.trackingToken() != null) {
            return tracked.trackingToken().position().orElse(-1);
        }
        return -1;
    }
}
