package dev.latchkey.app.webhook;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When a failed delivery is tried again (API.md): about 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h and 24 h after
 * the first to the ninth failure, each ±20 %; the tenth failure is final. A receiver's {@code Retry-After} sets the
 * next attempt instead, capped at 24 h.
 */
final class RetrySchedule {

    static final List<Duration> DELAYS = List.of(
            Duration.ofSeconds(5),
            Duration.ofMinutes(5),
            Duration.ofMinutes(30),
            Duration.ofHours(2),
            Duration.ofHours(5),
            Duration.ofHours(10),
            Duration.ofHours(14),
            Duration.ofHours(20),
            Duration.ofHours(24));

    /** The longest wait a receiver's {@code Retry-After} may ask for. */
    static final Duration LONGEST = Duration.ofHours(24);

    /** Attempts in all: the first and one per delay. */
    static final int ATTEMPTS = DELAYS.size() + 1;

    private RetrySchedule() {}

    /**
     * @param failedAttempts how many attempts have failed, this one included
     * @param retryAfter what the receiver asked for, or null
     * @return the wait before the next attempt, or null when this failure is the last
     */
    static Duration afterFailure(int failedAttempts, Duration retryAfter) {
        if (failedAttempts >= ATTEMPTS) {
            return null;
        }
        if (retryAfter != null) {
            return retryAfter.compareTo(LONGEST) > 0 ? LONGEST : retryAfter;
        }
        Duration base = DELAYS.get(Math.max(0, failedAttempts - 1));
        double jitter = 0.8 + 0.4 * ThreadLocalRandom.current().nextDouble();
        return Duration.ofMillis(Math.round(base.toMillis() * jitter));
    }
}
