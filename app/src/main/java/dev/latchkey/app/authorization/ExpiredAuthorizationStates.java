package dev.latchkey.app.authorization;

import dev.latchkey.query.authorization.AuthorizationStates;
import java.time.Clock;
import java.time.Instant;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Purges the states of consent flows never completed ({@code authorization_state} rows past their expiry): the
 * aggregate refuses them anyway, this keeps the table small. Bounded batches, a bounded number per run.
 */
@Component
public class ExpiredAuthorizationStates {

    static final int BATCH = 1000;
    static final int MAX_BATCHES = 20;

    private final AuthorizationStates states;
    private final Clock clock;

    public ExpiredAuthorizationStates(AuthorizationStates states, Clock clock) {
        this.states = states;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "PT10M", initialDelayString = "PT1M")
    public void purge() {
        purge(clock.instant());
    }

    /** @return how many states that expired before {@code now} were deleted */
    public int purge(Instant now) {
        int total = 0;
        for (int batch = 0; batch < MAX_BATCHES; batch++) {
            int deleted = states.deleteExpired(now, BATCH);
            total += deleted;
            if (deleted < BATCH) {
                break;
            }
        }
        return total;
    }
}
