package dev.latchkey.app.flow;

import dev.latchkey.app.writemodel.CommandSender;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Records a provider's answer through database blips: the step after an exchange, which must not drop a grant the
 * provider has just issued because PostgreSQL was away for a moment. Retries what {@link CommandSender#isDatabaseBlip}
 * calls a blip, with jittered pauses that double from 50 ms up to 2 s, for at most a budget; anything else, or a blip
 * outlasting the budget, is thrown for the caller to revoke what it could not record.
 */
final class RecordingRetry {

    private static final Duration FIRST_PAUSE = Duration.ofMillis(50);
    private static final Duration MAX_PAUSE = Duration.ofSeconds(2);

    private RecordingRetry() {}

    static <T> T run(Clock clock, Duration budget, Supplier<T> attempt) {
        Instant giveUpAt = clock.instant().plus(budget);
        Duration pause = FIRST_PAUSE;
        while (true) {
            try {
                return attempt.get();
            } catch (RuntimeException e) {
                if (!CommandSender.isDatabaseBlip(e)
                        || !clock.instant().plus(pause).isBefore(giveUpAt)) {
                    throw e;
                }
                LockSupport.parkNanos(jittered(pause).toNanos());
                pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
            }
        }
    }

    /** Between half and all of {@code pause}, so the nodes waiting out one outage do not retry in step. */
    private static Duration jittered(Duration pause) {
        long half = pause.toNanos() / 2;
        return Duration.ofNanos(half + ThreadLocalRandom.current().nextLong(half + 1));
    }
}
