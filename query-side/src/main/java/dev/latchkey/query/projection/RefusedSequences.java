package dev.latchkey.query.projection;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;

/**
 * The sequences (a connection, an application) whose events one projection found it cannot write. A projection
 * writes once per batch, after its handlers ran, where Axon's dead-letter queue cannot see a failure. So when a
 * batch's write fails on some sequences, they are remembered here and the batch is rolled back; delivered again,
 * their events up to the failed batch's end are refused by the handler itself, the dead-letter queue parks them,
 * and every other sequence is written. A dead letter being retried is always tried for real.
 */
public final class RefusedSequences {

    private record Refusal(long upToPosition, String reason) {}

    private final Map<String, Refusal> refused = new ConcurrentHashMap<>();

    /** Refuses {@code sequence}'s events at positions up to {@code upToPosition}, for {@code failure}. */
    public void refuse(String sequence, long upToPosition, String reason) {
        refused.merge(
                sequence,
                new Refusal(upToPosition, reason),
                (old, now) -> old.upToPosition() >= now.upToPosition() ? old : now);
    }

    /** Throws {@link EventRefusedException} when {@code message} of {@code sequence} is one remembered as refused. */
    public void check(String sequence, EventMessage<?> message) {
        Refusal refusal = refused.get(sequence);
        if (refusal == null || retryingADeadLetter()) {
            return;
        }
        long position = Applied.positionOf(message);
        if (position >= 0 && position <= refusal.upToPosition()) {
            throw new EventRefusedException(refusal.reason());
        }
    }

    /** A replay starts afresh (its dead-letter queue is cleared with it). */
    public void clear() {
        refused.clear();
    }

    private static boolean retryingADeadLetter() {
        // DeadLetteredEventProcessingTask puts the letter it processes among its unit of work's resources
        return CurrentUnitOfWork.isStarted()
                && CurrentUnitOfWork.get().resources().containsKey(DeadLetter.class.getName());
    }
}
