package dev.latchkey.app.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The embedded store's streams take no availability callback, so a caught-up pooled processor looked again only
 * every 500 ms. Through {@link EventsOnArrival} the callback runs when an event arrives, and the event is then there
 * to read.
 */
class EventsOnArrivalTest {

    private final EmbeddedEventStore store = EmbeddedEventStore.builder()
            .storageEngine(new InMemoryEventStorageEngine())
            .build();
    private final EventsOnArrival source = new EventsOnArrival(store);

    @AfterEach
    void stop() {
        source.stop();
        store.shutDown();
    }

    @Test
    void aCaughtUpStreamIsCalledBackWhenAnEventArrivesAndCanReadIt() throws Exception {
        source.start();
        BlockingStream<TrackedEventMessage<?>> stream = source.openStream(null);
        AtomicInteger woken = new AtomicInteger();
        assertThat(stream.setOnAvailableCallback(woken::incrementAndGet)).isTrue();
        assertThat(stream.hasNextAvailable()).isFalse();

        store.publish(GenericEventMessage.asEventMessage("connected"));

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(woken).hasPositiveValue());
        assertThat(stream.hasNextAvailable()).isTrue();
        assertThat(stream.nextAvailable().getPayload()).isEqualTo("connected");
        stream.close();
    }

    @Test
    void aClosedStreamIsCalledBackNoMore() {
        source.start();
        BlockingStream<TrackedEventMessage<?>> stream = source.openStream(null);
        stream.setOnAvailableCallback(() -> {});
        assertThat(source.waitingStreams()).isEqualTo(1);

        stream.close();

        assertThat(source.waitingStreams()).isZero();
    }

    @Test
    void aNewCallbackReplacesTheStreamsEarlierOne() {
        BlockingStream<TrackedEventMessage<?>> stream = source.openStream(null);

        stream.setOnAvailableCallback(() -> {});
        stream.setOnAvailableCallback(() -> {});

        assertThat(source.waitingStreams()).isEqualTo(1);
        stream.close();
    }
}
