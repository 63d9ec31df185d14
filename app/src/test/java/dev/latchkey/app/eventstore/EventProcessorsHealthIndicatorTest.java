package dev.latchkey.app.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.latchkey.app.deadletter.ParkedSequences;
import java.util.List;
import java.util.Map;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

/**
 * The rule by which a processor makes health DOWN. Found by the soak: after PostgreSQL came back, the node whose
 * processors held no segment (the other node had claimed them all) kept answering 503 for minutes, because Axon's
 * pooled processor stays {@code isError()} until it next processes events, which a processor without a segment never
 * does.
 */
class EventProcessorsHealthIndicatorTest {

    private final EventProcessingConfiguration processing = mock(EventProcessingConfiguration.class);
    private final ParkedSequences parked = mock(ParkedSequences.class);
    private final EventProcessorsHealthIndicator indicator = new EventProcessorsHealthIndicator(processing, parked);

    @Test
    void aProcessorHoldingNoSegmentIsUpThoughItFailedOnce() {
        StreamingEventProcessor passive = streaming(true, Map.of());
        when(processing.eventProcessors()).thenReturn(Map.of("connection-view", passive));
        when(parked.countsByProcessingGroup()).thenReturn(Map.of());

        Health health = indicator.health();

        assertThat(health.getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void aProcessorInErrorWhileHoldingASegmentIsDown() {
        EventTrackerStatus segment = mock(EventTrackerStatus.class);
        when(segment.getSegment()).thenReturn(Segment.ROOT_SEGMENT);
        StreamingEventProcessor failing = streaming(true, Map.of(0, segment));
        when(processing.eventProcessors()).thenReturn(Map.of("connection-view", failing));
        when(parked.countsByProcessingGroup()).thenReturn(Map.of());

        Health health = indicator.health();

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsEntry("down", List.of("connection-view"));
    }

    @Test
    void aSegmentInErrorStateIsDownAndNamed() {
        EventTrackerStatus segment = mock(EventTrackerStatus.class);
        when(segment.getSegment()).thenReturn(Segment.ROOT_SEGMENT);
        when(segment.isErrorState()).thenReturn(true);
        StreamingEventProcessor failing = streaming(false, Map.of(0, segment));
        when(processing.eventProcessors()).thenReturn(Map.of("connection-view", failing));
        when(parked.countsByProcessingGroup()).thenReturn(Map.of());

        Health health = indicator.health();

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails().get("connection-view").toString()).contains("in error on segment 0");
    }

    @Test
    void aSubscribingProcessorInErrorIsDown() {
        EventProcessor subscribing = mock(EventProcessor.class);
        when(subscribing.isRunning()).thenReturn(true);
        when(subscribing.isError()).thenReturn(true);
        when(processing.eventProcessors()).thenReturn(Map.of("authorization-states", subscribing));
        when(parked.countsByProcessingGroup()).thenReturn(Map.of());

        assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN);
    }

    private static StreamingEventProcessor streaming(boolean inError, Map<Integer, EventTrackerStatus> held) {
        StreamingEventProcessor processor = mock(StreamingEventProcessor.class);
        when(processor.isRunning()).thenReturn(true);
        when(processor.isError()).thenReturn(inError);
        when(processor.processingStatus()).thenReturn(held);
        return processor;
    }
}
