package dev.latchkey.app.replay;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Rebuilds a projection from the event store while the application keeps running: its streaming processor is shut
 * down, its tokens are reset to the start of the store (the projection's {@code @ResetHandler} empties its tables),
 * and it is started again; it replays every event in its own threads, then goes on following new ones. A timer
 * watches the progress, writes it to the log every few seconds, and notes when the replay has caught up.
 *
 * <p>Reads of the projection answer throughout, from tables that fill up as the replay goes. With several nodes,
 * the others must release the processor's segments first (stop it there): a token claimed elsewhere cannot be reset.
 */
@Component
public class ProjectionReplays implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ProjectionReplays.class);
    private static final Duration WATCH_EVERY = Duration.ofMillis(100);
    private static final Duration LOG_EVERY = Duration.ofSeconds(2);

    private final EventProcessingConfiguration processing;
    private final EventStore eventStore;
    private final Clock clock;
    private final Map<String, Replay> replays = new ConcurrentHashMap<>();
    private final ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "projection-replays");
        thread.setDaemon(true);
        return thread;
    });

    public ProjectionReplays(EventProcessingConfiguration processing, EventStore eventStore, Clock clock) {
        this.processing = processing;
        this.eventStore = eventStore;
        this.clock = clock;
    }

    /** There is no such projection, or it is not run by a streaming processor that can be reset. */
    public static class NotReplayableException extends RuntimeException {
        NotReplayableException(String message) {
            super(message, null, false, false);
        }
    }

    /** A replay of the projection is still running, or its processor could not be reset. */
    public static class ReplayRefusedException extends RuntimeException {
        ReplayRefusedException(String message) {
            super(message, null, false, false);
        }
    }

    /** The projections that can be replayed, by name. */
    public List<String> replayable() {
        return processing.eventProcessors().entrySet().stream()
                .filter(entry ->
                        entry.getValue() instanceof StreamingEventProcessor streaming && streaming.supportsReset())
                .map(Map.Entry::getKey)
                .sorted()
                .toList();
    }

    /**
     * Resets the projection's processor and starts it again.
     *
     * @throws NotReplayableException when there is no such projection, or it cannot be replayed
     * @throws ReplayRefusedException when a replay of it is running, or the reset was refused
     */
    public synchronized ReplayProgress start(String projection) {
        StreamingEventProcessor processor = processor(projection)
                .orElseThrow(() -> new NotReplayableException("no projection " + projection + " can be replayed"));
        Replay running = replays.get(projection);
        if (running != null && running.finishedAt == null) {
            throw new ReplayRefusedException("a replay of " + projection + " is running");
        }
        long head = eventStore.createHeadToken().position().orElse(0);
        Set<EventTrackerStatus> before = Collections.newSetFromMap(new IdentityHashMap<>());
        before.addAll(processor.processingStatus().values());
        processor.shutDown();
        try {
            processor.resetTokens();
        } catch (RuntimeException e) {
            processor.start();
            log.warn("Replay of {} refused: {}", projection, e.getClass().getSimpleName());
            throw new ReplayRefusedException(
                    "the processor of " + projection + " could not be reset: stop it on the other nodes first");
        }
        Replay replay = new Replay(projection, head, before, clock.instant(), System.nanoTime());
        replays.put(projection, replay);
        processor.start();
        log.info("Replay of {} started: {} events to apply", projection, head);
        replay.watch = watcher.scheduleWithFixedDelay(
                () -> watch(replay, processor), WATCH_EVERY.toMillis(), WATCH_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        return progress(projection, replay, processor);
    }

    /** Where the projection stands; empty when there is no such replayable projection. */
    public Optional<ReplayProgress> progress(String projection) {
        return processor(projection).map(processor -> progress(projection, replays.get(projection), processor));
    }

    private Optional<StreamingEventProcessor> processor(String projection) {
        return processing
                .eventProcessor(projection, StreamingEventProcessor.class)
                .filter(StreamingEventProcessor::supportsReset);
    }

    private void watch(Replay replay, StreamingEventProcessor processor) {
        if (replay.finishedAt != null) {
            replay.stopWatching(); // finished by a caller's progress before this task was known to it
            return;
        }
        try {
            ReplayProgress progress = progress(replay.projection, replay, processor);
            if (replay.finishedAt == null && System.nanoTime() - replay.loggedAt >= LOG_EVERY.toNanos()) {
                replay.loggedAt = System.nanoTime();
                log.info(
                        "Replay of {}: {} / {} events ({}%), {} events/s, about {} s left{}",
                        replay.projection,
                        progress.eventsDone(),
                        progress.eventsTotal(),
                        progress.eventsTotal() == 0 ? 100 : 100 * progress.eventsDone() / progress.eventsTotal(),
                        Math.round(progress.eventsPerSecond()),
                        progress.secondsLeft() == null ? "?" : progress.secondsLeft(),
                        progress.state().equals("error") ? " (a segment failed and is retrying)" : "");
            }
        } catch (RuntimeException e) {
            log.warn(
                    "Could not watch the replay of {}: {}",
                    replay.projection,
                    e.getClass().getSimpleName());
        }
    }

    private ReplayProgress progress(String projection, Replay replay, StreamingEventProcessor processor) {
        Collection<EventTrackerStatus> segments = processor.processingStatus().values();
        long position = segments.stream()
                .mapToLong(status -> status.getCurrentPosition().orElse(0))
                .min()
                .orElse(0);
        // caught up: every segment claimed since the reset and past the head of the store at the reset. Axon itself
        // calls a segment replaying until it sees an event newer than that head, however long that takes.
        boolean restarted = replay != null
                && !segments.isEmpty()
                && segments.stream().noneMatch(replay.statusesBeforeReset::contains);
        // whoever sees it first (the watcher, or a caller asking for the progress) ends the replay and says so
        boolean finishedNow = restarted && position >= replay.head && replay.finish(clock.instant());
        boolean replaying = replay != null
                ? replay.finishedAt == null
                : segments.stream().anyMatch(EventTrackerStatus::isReplaying);
        String state;
        if (!processor.isRunning()) {
            state = "stopped";
        } else if (segments.stream().anyMatch(EventTrackerStatus::isErrorState)) {
            state = "error";
        } else if (replaying) {
            state = "replaying";
        } else if (segments.isEmpty()) {
            state = "starting";
        } else {
            state = "live";
        }
        if (replay == null) {
            return new ReplayProgress(projection, state, position, null, null, null, null, null, null);
        }
        boolean finished = replay.finishedAt != null;
        long done = finished ? replay.head : restarted ? Math.min(position, replay.head) : 0;
        double seconds = replay.seconds();
        double rate = seconds > 0 ? done / seconds : 0;
        Long left =
                finished ? Long.valueOf(0) : rate > 0 ? Long.valueOf(Math.round((replay.head - done) / rate)) : null;
        if (finishedNow) {
            replay.stopWatching();
            log.info(
                    "Replay of {} finished: {} events in {} s, {} events/s",
                    projection,
                    replay.head,
                    String.format("%.1f", seconds),
                    Math.round(rate));
        }
        return new ReplayProgress(
                projection, state, position, done, replay.head, rate, left, replay.startedAt, replay.finishedAt);
    }

    @Override
    public void destroy() {
        watcher.shutdownNow();
    }

    private static final class Replay {

        final String projection;
        final long head;
        final Set<EventTrackerStatus> statusesBeforeReset;
        final Instant startedAt;
        final long startedNanos;
        volatile Instant finishedAt;
        volatile long finishedNanos;
        volatile long loggedAt;
        volatile ScheduledFuture<?> watch;

        Replay(
                String projection,
                long head,
                Set<EventTrackerStatus> statusesBeforeReset,
                Instant startedAt,
                long startedNanos) {
            this.projection = projection;
            this.head = head;
            this.statusesBeforeReset = statusesBeforeReset;
            this.startedAt = startedAt;
            this.startedNanos = startedNanos;
            this.loggedAt = startedNanos;
        }

        /** Stops the watcher's task; one that is not scheduled yet sees the replay finished and stops at once. */
        void stopWatching() {
            ScheduledFuture<?> task = watch;
            if (task != null) {
                task.cancel(false);
            }
        }

        /** @return whether this call finished it (false when it already was) */
        synchronized boolean finish(Instant at) {
            if (finishedAt != null) {
                return false;
            }
            finishedNanos = System.nanoTime();
            finishedAt = at;
            return true;
        }

        double seconds() {
            long end = finishedAt != null ? finishedNanos : System.nanoTime();
            return (end - startedNanos) / 1e9;
        }
    }
}
