package dev.latchkey.bench.server;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Time spent per named phase (a command type, a wait), summed over every thread, since the last reset. */
final class PhaseTimes {

    private record Total(LongAdder nanos, LongAdder count) {}

    private final Map<String, Total> totals = new ConcurrentHashMap<>();

    void add(String phase, long nanos) {
        Total total = totals.computeIfAbsent(phase, p -> new Total(new LongAdder(), new LongAdder()));
        total.nanos().add(nanos);
        total.count().increment();
    }

    void reset() {
        totals.clear();
    }

    /** Per phase: how many, and the mean milliseconds of one. */
    Map<String, String> summary() {
        Map<String, String> summary = new TreeMap<>();
        totals.forEach((phase, total) -> {
            long count = total.count().sum();
            summary.put(
                    phase,
                    String.format(
                            java.util.Locale.ROOT,
                            "%d × %.1f ms",
                            count,
                            total.nanos().sum() / 1e6 / count));
        });
        return summary;
    }
}
