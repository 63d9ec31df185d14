package dev.latchkey.app.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {

    @RepeatedTest(20)
    void eachFailureWaitsItsDelayWithinTwentyPercent() {
        for (int failed = 1; failed < RetrySchedule.ATTEMPTS; failed++) {
            Duration base = RetrySchedule.DELAYS.get(failed - 1);
            assertThat(RetrySchedule.afterFailure(failed, null))
                    .isBetween(
                            Duration.ofMillis(Math.round(base.toMillis() * 0.8)),
                            Duration.ofMillis(Math.round(base.toMillis() * 1.2)));
        }
    }

    @Test
    void theScheduleIsTheContractsAndTheTenthFailureIsFinal() {
        assertThat(RetrySchedule.DELAYS)
                .containsExactly(
                        Duration.ofSeconds(5),
                        Duration.ofMinutes(5),
                        Duration.ofMinutes(30),
                        Duration.ofHours(2),
                        Duration.ofHours(5),
                        Duration.ofHours(10),
                        Duration.ofHours(14),
                        Duration.ofHours(20),
                        Duration.ofHours(24));
        assertThat(RetrySchedule.afterFailure(10, null)).isNull();
        assertThat(RetrySchedule.afterFailure(10, Duration.ofSeconds(1))).isNull();
    }

    @Test
    void aRetryAfterSetsTheWaitUpToADay() {
        assertThat(RetrySchedule.afterFailure(1, Duration.ofSeconds(120))).isEqualTo(Duration.ofSeconds(120));
        assertThat(RetrySchedule.afterFailure(3, Duration.ofDays(3))).isEqualTo(Duration.ofHours(24));
        assertThat(RetrySchedule.afterFailure(2, Duration.ZERO)).isEqualTo(Duration.ZERO);
    }
}
