package dev.latchkey.app.eventstore;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.StreamableMessageSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The event store as the pooled streaming processors read it (their {@code source}), waking them when events arrive.
 *
 * <p>A pooled processor that has caught up asks its stream for an availability callback; the embedded store's
 * streams offer none, so the processor looked again only every 500 ms, and every write call of the API, which waits
 * for the views, waited for that timer. Here one watcher thread tails the store on its own stream: the store's
 * producer hands it each new event as soon as it has read it (at once after a commit on this node, within the store's
 * fetch delay for another node's, {@link EventStoreConfiguration}), and the watcher runs the processors' callbacks. It
 * never touches the payloads, so nothing is deserialized twice. A processor whose callback is somehow missed still
 * looks again on its own delayed schedule.
 */
public final class EventsOnArrival implements StreamableMessageSource<TrackedEventMessage<?>>, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EventsOnArrival.class);
    private static final Duration AFTER_FAILURE = Duration.ofSeconds(1);

    private final EventStore store;
    private final Set<Runnable> callbacks = new CopyOnWriteArraySet<>();
    private volatile Thread watcher;

    public EventsOnArrival(EventStore store) {
        this.store = store;
    }

    @Override
    public BlockingStream<TrackedEventMessage<?>> openStream(TrackingToken trackingToken) {
        return new WakingStream(store.openStream(trackingToken));
    }

    @Override
    public TrackingToken createTailToken() {
        return store.createTailToken();
    }

    @Override
    public TrackingToken createHeadToken() {
        return store.createHeadToken();
    }

    @Override
    public TrackingToken createTokenAt(Instant dateTime) {
        return store.createTokenAt(dateTime);
    }

    /** How many streams wait for events now (for tests). */
    int waitingStreams() {
        return callbacks.size();
    }

    @Override
    public void start() {
        Thread thread = new Thread(this::watch, "events-on-arrival");
        thread.setDaemon(true);
        watcher = thread;
        thread.start();
    }

    @Override
    public void stop() {
        Thread thread = watcher;
        watcher = null;
        if (thread != null) {
            thread.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return watcher != null;
    }

    private void watch() {
        Thread self = Thread.currentThread();
        while (watcher == self) {
            try (BlockingStream<TrackedEventMessage<?>> tail = store.openStream(store.createHeadToken())) {
                while (watcher == self) {
                    if (tail.hasNextAvailable(1, TimeUnit.SECONDS)) {
                        while (tail.hasNextAvailable()) {
                            tail.nextAvailable();
                        }
                        callbacks.forEach(EventsOnArrival::runQuietly);
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // the database is away, say: the processors fall back to their own schedule meanwhile
                log.warn(
                        "watching the event store failed ({}); trying again",
                        e.getClass().getSimpleName());
                LockSupport.parkNanos(AFTER_FAILURE.toNanos());
            }
        }
    }

    private static void runQuietly(Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            log.warn("waking an event processor failed: {}", e.getClass().getSimpleName());
        }
    }

    /** A stream of the store that takes an availability callback. */
    private final class WakingStream implements BlockingStream<TrackedEventMessage<?>> {

        private final BlockingStream<TrackedEventMessage<?>> delegate;
        private volatile Runnable callback;

        private WakingStream(BlockingStream<TrackedEventMessage<?>> delegate) {
            this.delegate = delegate;
        }

        @Override
        public Optional<TrackedEventMessage<?>> peek() {
            return delegate.peek();
        }

        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
            return delegate.hasNextAvailable(timeout, unit);
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() throws InterruptedException {
            return delegate.nextAvailable();
        }

        @Override
        public void skipMessagesWithPayloadTypeOf(TrackedEventMessage<?> ignoredMessage) {
            delegate.skipMessagesWithPayloadTypeOf(ignoredMessage);
        }

        @Override
        public boolean setOnAvailableCallback(Runnable newCallback) {
            Runnable previous = callback;
            if (previous != null) {
                callbacks.remove(previous);
            }
            callback = newCallback;
            callbacks.add(newCallback);
            return true;
        }

        @Override
        public void close() {
            Runnable current = callback;
            if (current != null) {
                callbacks.remove(current);
            }
            delegate.close();
        }
    }
}
