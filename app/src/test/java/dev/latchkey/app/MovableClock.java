package dev.latchkey.app;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.axonframework.eventhandling.GenericEventMessage;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The shared test context's clock, and Axon's (the aggregates' {@code now}): the real time plus an offset that a test
 * moves to simulate hours in seconds ({@link #advance}), and must put back ({@link #reset}) when it ends. Zero for
 * every other test.
 */
public final class MovableClock extends Clock {

    private static volatile Duration offset = Duration.ZERO;

    private final Clock base;

    private MovableClock(Clock base) {
        this.base = base;
    }

    public static void advance(Duration by) {
        offset = offset.plus(by);
    }

    public static void reset() {
        offset = Duration.ZERO;
    }

    @Override
    public Instant instant() {
        return base.instant().plus(offset);
    }

    @Override
    public ZoneId getZone() {
        return base.getZone();
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    /** Puts the movable clock in place of the application's and Axon's. */
    @TestConfiguration(proxyBeanMethods = false)
    public static class InPlace {

        @Bean
        static BeanPostProcessor movableClock() {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String beanName) {
                    if (bean instanceof Clock clock && !(bean instanceof MovableClock)) {
                        MovableClock movable = new MovableClock(clock);
                        GenericEventMessage.clock = movable;
                        return movable;
                    }
                    return bean;
                }
            };
        }
    }
}
