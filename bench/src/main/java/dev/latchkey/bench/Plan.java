package dev.latchkey.bench;

import java.time.Duration;
import java.util.List;

/** How long and how much: the full run takes 15-20 minutes on two shared cores; {@code --quick} checks the harness. */
record Plan(
        boolean quick,
        Duration httpWarmup,
        Duration httpWindow,
        int repetitions,
        int refreshConnections,
        Duration appendWindow,
        long replayEvents,
        int[] historySizes,
        int latencyCommands,
        int restarts,
        double offeredPerSecond,
        int lagSamples) {

    static Plan of(List<String> args) {
        boolean quick = args.contains("--quick");
        long replayEvents = quick ? 20_000 : 200_000;
        int at = args.indexOf("--replay-events");
        if (at >= 0 && at + 1 < args.size()) {
            replayEvents = Long.parseLong(args.get(at + 1));
        }
        return quick
                ? new Plan(
                        true,
                        Duration.ofSeconds(4),
                        Duration.ofSeconds(2),
                        3,
                        100,
                        Duration.ofMillis(700),
                        replayEvents,
                        new int[] {10, 100, 1_000},
                        2,
                        1,
                        100,
                        6)
                : new Plan(
                        false,
                        Duration.ofSeconds(40),
                        Duration.ofSeconds(10),
                        3,
                        1_000,
                        Duration.ofMillis(2500),
                        replayEvents,
                        new int[] {10, 1_000, 10_000},
                        3,
                        3,
                        100,
                        25);
    }

    /** A window twice as long: a row's second try when its repetitions spread more than 20%. */
    Duration longer(Duration window) {
        return window.multipliedBy(2);
    }
}
