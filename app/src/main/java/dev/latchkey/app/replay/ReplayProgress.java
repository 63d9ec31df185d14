package dev.latchkey.app.replay;

import java.time.Instant;

/**
 * Where a projection stands, and its last replay when one was started on this node. Events are counted as positions
 * of the global index, which the sequence hands out one at a time: they differ from a count of rows only by the
 * positions of appends that rolled back.
 *
 * @param state {@code replaying}, {@code live} (following the event store), {@code starting} (no segment claimed
 *     here yet), {@code error} (a segment failed and is retrying) or {@code stopped}
 * @param position the lowest position its segments have reached
 * @param eventsDone events of the replay applied so far (null when no replay was started here)
 * @param eventsTotal events the replay has to apply: the head of the store when it started
 * @param eventsPerSecond the replay's average rate since it started (until it finished, once it has)
 * @param secondsLeft at that rate; 0 once finished
 */
public record ReplayProgress(
        String projection,
        String state,
        long position,
        Long eventsDone,
        Long eventsTotal,
        Double eventsPerSecond,
        Long secondsLeft,
        Instant startedAt,
        Instant finishedAt) {}
