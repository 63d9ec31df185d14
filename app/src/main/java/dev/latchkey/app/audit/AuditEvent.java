package dev.latchkey.app.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One event as audit consumers read it.
 *
 * @param position the event's global index in the event store: the stream's order and paging key
 * @param sequence its place in its connection's history, from 0
 * @param type the event's short name ({@code ConnectionEstablished}), listed in docs/events.md
 * @param actor who caused it: a caller's {@code sub}, or {@code system:<process>}; null if unrecorded
 * @param correlationId shared by every event one request caused
 * @param payload the event's fields without any secret (see {@link AuditPayloads})
 */
public record AuditEvent(
        long position,
        long sequence,
        String type,
        Instant occurredAt,
        String actor,
        String correlationId,
        String connectionId,
        JsonNode payload) {}
