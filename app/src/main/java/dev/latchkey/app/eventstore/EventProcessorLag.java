package dev.latchkey.app.eventstore;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.OptionalLong;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * {@code latchkey_event_processor_lag{processor}}: how many events each streaming processor is behind the head of the
 * event store (global positions), from the segments this node holds; NaN while it holds none or the database is
 * away. Parked events do not count: the processor has gone past them.
 */
@Component
class EventProcessorLag {

    static final String METER = "latchkey.event.processor.lag";

    private final MeterRegistry registry;
    private final EventProcessingConfiguration processing;
    private final JdbcTemplate jdbc;

    EventProcessorLag(MeterRegistry registry, EventProcessingConfiguration processing, JdbcTemplate jdbc) {
        this.registry = registry;
        this.processing = processing;
        this.jdbc = jdbc;
    }

    /** The processors exist once Axon has started. */
    @EventListener(ApplicationReadyEvent.class)
    void register() {
        processing.eventProcessors().forEach((name, processor) -> {
            if (processor instanceof StreamingEventProcessor streaming) {
                Gauge.builder(METER, () -> lag(streaming))
                        .tag("processor", name)
                        .description("events the processor is behind the head of the event store")
                        .register(registry);
            }
        });
    }

    private double lag(StreamingEventProcessor processor) {
        OptionalLong behind = processor.processingStatus().values().stream()
                .map(EventTrackerStatus::getCurrentPosition)
                .mapToLong(position -> position.orElse(-1))
                .min();
        if (behind.isEmpty()) {
            return Double.NaN;
        }
        try {
            Long head =
                    jdbc.queryForObject("SELECT coalesce(max(global_index), -1) FROM domain_event_entry", Long.class);
            return Math.max(0, head - behind.getAsLong());
        } catch (RuntimeException databaseAway) {
            return Double.NaN;
        }
    }
}
