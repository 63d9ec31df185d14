package dev.latchkey.query;

import dev.latchkey.domain.application.ApplicationEvent;
import dev.latchkey.domain.connection.ConnectionEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.GenericTrackedDomainEventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.messaging.MetaData;

/**
 * Events as an event store would hand them to a streaming processor: each with its aggregate's next sequence
 * number, the next global position and a timestamp from a clock the test moves.
 */
public final class EventLog {

    private final Map<String, Long> sequences = new HashMap<>();
    private long position = 100;
    private Instant now = Instant.parse("2026-03-01T09:00:00.123456789Z");

    public Instant now() {
        return now;
    }

    public EventLog advance(Duration duration) {
        now = now.plus(duration);
        return this;
    }

    public long lastPosition() {
        return position - 1;
    }

    public TrackedEventMessage<?> next(ConnectionEvent event) {
        return next("Connection", event.connectionId().value(), event);
    }

    public TrackedEventMessage<?> next(ApplicationEvent event) {
        return next("Application", event.applicationId().value(), event);
    }

    private TrackedEventMessage<?> next(String type, String aggregateId, Object payload) {
        long sequence = sequences.merge(aggregateId, 0L, (old, zero) -> old + 1);
        GenericDomainEventMessage<?> message = new GenericDomainEventMessage<>(
                type,
                aggregateId,
                sequence,
                payload,
                MetaData.emptyInstance(),
                java.util.UUID.randomUUID().toString(),
                now);
        now = now.plusMillis(1);
        return new GenericTrackedDomainEventMessage<>(new GlobalSequenceTrackingToken(position++), message);
    }
}
