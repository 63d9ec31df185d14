package dev.latchkey.app.eventstore;

import dev.latchkey.app.deadletter.ParkedSequences;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The health component {@code eventProcessors}: one entry per event processor with its status and how many events it
 * has parked; DOWN (and {@code /actuator/health} 503) when one has stopped or is in error, naming it under
 * {@code down}. Parked events alone do not make it DOWN: the processor goes on with every other sequence.
 */
@Component
class EventProcessorsHealthIndicator implements HealthIndicator {

    private final EventProcessingConfiguration processing;
    private final ParkedSequences parked;

    EventProcessorsHealthIndicator(EventProcessingConfiguration processing, ParkedSequences parked) {
        this.processing = processing;
        this.parked = parked;
    }

    @Override
    public Health health() {
        Optional<Map<String, Long>> counts = parkedCounts();
        List<String> down = new ArrayList<>();
        Map<String, Object> details = new LinkedHashMap<>();
        new TreeMap<>(processing.eventProcessors()).forEach((name, processor) -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            Optional<String> problem = problem(processor);
            entry.put("status", problem.isPresent() ? "DOWN" : "UP");
            problem.ifPresent(reason -> entry.put("reason", reason));
            entry.put(
                    "parked", counts.map(c -> (Object) c.getOrDefault(name, 0L)).orElse("unknown"));
            details.put(name, entry);
            problem.ifPresent(reason -> down.add(name));
        });
        Health.Builder health = down.isEmpty() ? Health.up() : Health.down();
        if (!down.isEmpty()) {
            health.withDetail("down", down);
        }
        return health.withDetails(details).build();
    }

    private static Optional<String> problem(EventProcessor processor) {
        if (!processor.isRunning()) {
            return Optional.of("stopped");
        }
        if (!(processor instanceof StreamingEventProcessor streaming)) {
            return processor.isError() ? Optional.of("in error") : Optional.empty();
        }
        // a pooled processor stays isError() after a failure until it next processes events, which one holding no
        // segment (another node holds them all) never does: it is in error only while it holds a segment
        Map<Integer, EventTrackerStatus> held = streaming.processingStatus();
        if (processor.isError() && !held.isEmpty()) {
            return Optional.of("in error");
        }
        return held.values().stream()
                .filter(EventTrackerStatus::isErrorState)
                .findFirst()
                .map(status -> "in error on segment " + status.getSegment().getSegmentId()
                        + (status.getError() == null
                                ? ""
                                : " (" + status.getError().getClass().getSimpleName() + ")"));
    }

    private Optional<Map<String, Long>> parkedCounts() {
        try {
            return Optional.of(parked.countsByProcessingGroup());
        } catch (RuntimeException databaseAway) {
            return Optional.empty(); // the db component says why
        }
    }
}
