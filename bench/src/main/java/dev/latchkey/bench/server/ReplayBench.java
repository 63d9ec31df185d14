package dev.latchkey.bench.server;

import dev.latchkey.query.connection.ConnectionViewProjection;
import dev.latchkey.query.projection.ProjectionPositions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Benchmark 4: the connection view rebuilt from the whole event store, the way an operator would rebuild it (stop its
 * processor, reset its token, which empties the view, start it), timed until the view's recorded position reaches
 * the last event. The baseline is {@link StoredEvents#readAll()}.
 */
@Component
class ReplayBench {

    private final EventProcessingConfiguration processing;
    private final ProjectionPositions positions;
    private final StoredEvents events;
    private final JdbcTemplate jdbc;
    private final Meter meter;

    ReplayBench(
            EventProcessingConfiguration processing,
            ProjectionPositions positions,
            StoredEvents events,
            JdbcTemplate jdbc,
            Meter meter) {
        this.meter = meter;
        this.processing = processing;
        this.positions = positions;
        this.events = events;
        this.jdbc = jdbc;
    }

    private StreamingEventProcessor processor() {
        String group = ConnectionViewProjection.PROCESSING_GROUP;
        return processing
                .eventProcessorByProcessingGroup(group, StreamingEventProcessor.class)
                .orElseThrow(() -> new IllegalStateException("no streaming processor for " + group));
    }

    /** Stops the view's processor (after it has caught up), e.g. while the store is filled for a replay. */
    void stop(Duration timeout) {
        StreamingEventProcessor processor = processor();
        if (processor.isRunning()) {
            positions.awaitPosition(ConnectionViewProjection.PROCESSING_GROUP, events.head(), timeout);
            processor.shutDown();
        }
    }

    /**
     * @param last replay only the last this many events (a warm-up of the same code), or all of them when 0 or less
     */
    Map<String, Object> replay(long last, Duration timeout) {
        String group = ConnectionViewProjection.PROCESSING_GROUP;
        StreamingEventProcessor processor = processor();
        long head = events.head();
        long count = last > 0 ? Math.min(last, events.count()) : events.count();
        stop(timeout); // a replay starts from a quiet processor
        if (last > 0) {
            processor.resetTokens(GapAwareTrackingToken.newInstance(Math.max(0, head - count), List.of()));
        } else {
            processor.resetTokens();
        }
        Meter.Reading before = meter.read();
        long start = System.nanoTime();
        processor.start();
        boolean done = positions.awaitPosition(group, head, timeout);
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Object> cost = meter.since(before, count);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("events", count);
        result.put("head", head);
        result.put("completed", done);
        result.put("seconds", seconds);
        result.put("perSecond", count / seconds);
        result.put("cost", cost);
        result.put("viewRows", jdbc.queryForObject("SELECT count(*) FROM connection_view", Long.class));
        return result;
    }

    Map<String, Object> read() {
        Meter.Reading before = meter.read();
        long start = System.nanoTime();
        long read = events.readAll();
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Object> cost = meter.since(before, read);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("events", read);
        result.put("seconds", seconds);
        result.put("perSecond", read / seconds);
        result.put("cost", cost);
        return result;
    }
}
