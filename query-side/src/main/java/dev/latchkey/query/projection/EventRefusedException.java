package dev.latchkey.query.projection;

/**
 * A projection cannot apply an event: the database refuses what the event says (a NUL, a value too long, a
 * constraint) or the projection's own code fails on it. The dead-letter queue parks the event's sequence. The
 * message is written by {@link EventRefusals}: it never quotes a row or a payload.
 */
public class EventRefusedException extends RuntimeException {

    public EventRefusedException(String message) {
        super(message, null, false, false);
    }
}
