package dev.latchkey.bench;

import static dev.latchkey.bench.Stats.f;
import static dev.latchkey.bench.Stats.median;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Benchmark 4: the connection view rebuilt by replaying the whole event store (200,000 events), against reading the
 * same events through one JDBC cursor and parsing their JSON.
 */
final class ReplayRow {

    static final long WARMUP_EVENTS = 20_000;
    static final int MORE = 2;

    private final Stage stage;

    ReplayRow(Stage stage) {
        this.stage = stage;
    }

    void run() throws Exception {
        Plan plan = stage.plan;
        Calls calls = stage.calls;
        Stage.progress("4: a warm-up replay, then filling the event store to " + plan.replayEvents()
                + " events and rebuilding the connection view from them");
        JsonNode warm = calls.bench("POST", "/replay", "last", WARMUP_EVENTS);
        calls.bench("POST", "/read");
        stage.report.detail(f(
                "4 warm-up: a replay of the last %d events the other benchmarks appended, at %.0f events/s",
                warm.path("events").asLong(), warm.path("perSecond").asDouble()));
        JsonNode fill = calls.bench(
                "POST",
                "/fill",
                "total",
                plan.replayEvents(),
                "workspace",
                Stage.STORE_WORKSPACE,
                "person",
                Stage.PERSON,
                "application",
                Stage.APPLICATION,
                "provider",
                Stage.PROVIDER);
        stage.report.detail(f(
                "4 wrote %d events straight into the store in %.1f s (%d in all), the view's processor stopped",
                fill.path("added").asLong(),
                fill.path("seconds").asDouble(),
                fill.path("events").asLong()));
        // the warm-up above met only what the other rows appended (3 events when row 4 runs alone): the JIT warms on
        // the last events of the filled store too, so the first repetitions do not measure the interpreter
        JsonNode warmer = calls.bench("POST", "/replay", "last", WARMUP_EVENTS);
        calls.bench("POST", "/read");
        stage.report.detail(f(
                "4 warm-up on the filled store: a replay of its last %d events, at %.0f events/s",
                warmer.path("events").asLong(), warmer.path("perSecond").asDouble()));
        List<Double> replay = new ArrayList<>();
        List<Double> read = new ArrayList<>();
        Cost replayCost = Cost.NONE;
        Cost readCost = Cost.NONE;
        long events = 0;
        int repetitions = plan.repetitions();
        for (int rep = 0; rep < repetitions; rep++) {
            JsonNode rebuilt = calls.bench("POST", "/replay");
            if (!rebuilt.path("completed").asBoolean()) {
                throw new IllegalStateException("the replay did not finish: " + rebuilt);
            }
            JsonNode baseline = calls.bench("POST", "/read");
            events = rebuilt.path("events").asLong();
            replay.add(rebuilt.path("perSecond").asDouble());
            read.add(baseline.path("perSecond").asDouble());
            replayCost = replayCost.plus(Cost.of(rebuilt.path("cost")));
            readCost = readCost.plus(Cost.of(baseline.path("cost")));
            stage.report.detail("4 replay " + rebuilt + " | read " + baseline);
            if (rep == repetitions - 1 && repetitions == plan.repetitions() && Stats.tooSpread(replay, read)) {
                stage.report.detail("4 the repetitions spread more than 20%: " + MORE + " more");
                repetitions += MORE;
            }
        }
        double ratio = median(replay) / median(read);
        stage.report.line(
                "4",
                f("rebuild the connection view by replay, %,d events", events),
                f("%,.0f events/s (%.1f s)", median(replay), events / median(replay)),
                f("%,.0f events/s (JDBC sequential read + JSON parsing)", median(read)),
                f("%.3f×", ratio),
                "≥ 0.3×",
                Report.met(ratio >= 0.3),
                f("replay, per event: %s; read: %s", replayCost.perOperation(), readCost.perOperation()));
    }
}
