package dev.latchkey.bench;

import static dev.latchkey.bench.Stats.f;
import static dev.latchkey.bench.Stats.median;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Benchmark 3: events appended by commands (a create, an update) with 1, 4 and 16 callers against plain JDBC inserts
 * of the same rows, one per transaction, with the projections running as deployed (the variant with the
 * processors paused is not measured).
 */
final class AppendRow {

    static final int[] CALLERS = {1, 4, 16};
    static final String[] KINDS = {"AXON_CREATE", "JDBC_CREATE", "AXON_UPDATE", "JDBC_UPDATE"};

    private final Stage stage;

    AppendRow(Stage stage) {
        this.stage = stage;
    }

    void run() throws Exception {
        Plan plan = stage.plan;
        Stage.progress("3: event append by commands against plain JDBC inserts, 1/4/16 callers");
        stage.calls.bench("POST", "/append/prepare");
        for (String kind : KINDS) {
            append(kind, 4, plan.appendWindow());
        }
        Map<String, List<Double>> rates = new LinkedHashMap<>();
        Map<String, Cost> costs = new LinkedHashMap<>();
        measure(rates, costs, plan.appendWindow());
        if (rates.values().stream().anyMatch(series -> Stats.spread(series) > Stats.TOO_SPREAD)) {
            // once more with windows twice as long; only the longer windows are reported
            stage.report.detail(f(
                    "3 the repetitions spread more than 20%% (%s): measured again with windows of %d ms",
                    spreads(rates), plan.longer(plan.appendWindow()).toMillis()));
            rates.clear();
            costs.clear();
            measure(rates, costs, plan.longer(plan.appendWindow()));
        }
        // the second create target: with every streaming processor paused for the window
        Map<String, List<Double>> paused = new LinkedHashMap<>();
        Map<String, Cost> pausedCosts = new LinkedHashMap<>();
        for (int rep = 0; rep < stage.plan.repetitions(); rep++) {
            for (int callers : CALLERS) {
                JsonNode result = append("AXON_CREATE", callers, plan.appendWindow(), true);
                paused.computeIfAbsent("" + callers, k -> new ArrayList<>())
                        .add(result.path("perSecond").asDouble());
                pausedCosts.merge("" + callers, Cost.of(result.path("cost")), Cost::plus);
            }
        }
        for (String operation : new String[] {"CREATE", "UPDATE"}) {
            // the targets: create ≥ 0.35× as deployed, ≥ 0.6× with the processors paused (below), update
            // ≥ 0.5× as deployed
            double target = operation.equals("CREATE") ? 0.35 : 0.5;
            for (int callers : CALLERS) {
                String axonKey = "AXON_" + operation + "/" + callers;
                String jdbcKey = "JDBC_" + operation + "/" + callers;
                List<Double> axon = rates.get(axonKey);
                List<Double> jdbc = rates.get(jdbcKey);
                double ratio = median(axon) / median(jdbc);
                stage.report.line(
                        "3",
                        f(
                                "event append, %s command, %d caller%s",
                                operation.toLowerCase(), callers, callers == 1 ? "" : "s"),
                        f("%.0f events/s", median(axon)),
                        f("%.0f rows/s (JDBC insert, one per transaction)", median(jdbc)),
                        f("%.2f×", ratio),
                        f("≥ %.2f×", target),
                        Report.met(ratio >= target),
                        f(
                                "command: %s; insert: %s",
                                costs.get(axonKey).perOperation(), costs.get(jdbcKey).perOperation()));
                stage.report.detail(f(
                        "3 %s %d callers: commands/s %s | JDBC rows/s %s",
                        operation.toLowerCase(), callers, Stats.list(axon, "%.0f"), Stats.list(jdbc, "%.0f")));
            }
        }
        reportPaused(paused, rates, pausedCosts);
    }

    private void reportPaused(Map<String, List<Double>> paused, Map<String, List<Double>> rates, Map<String, Cost> costs) {
        for (int callers : CALLERS) {
            List<Double> axon = paused.get("" + callers);
            List<Double> jdbc = rates.get("JDBC_CREATE/" + callers);
            double ratio = median(axon) / median(jdbc);
            stage.report.line(
                    "3",
                    f("event append, create command, %d caller%s, streaming processors paused", callers,
                            callers == 1 ? "" : "s"),
                    f("%.0f events/s", median(axon)),
                    f("%.0f rows/s (the same JDBC baseline)", median(jdbc)),
                    f("%.2f×", ratio),
                    "≥ 0.60×",
                    Report.met(ratio >= 0.6),
                    f("command: %s", costs.get("" + callers).perOperation()));
            stage.report.detail(f(
                    "3 create paused %d callers: commands/s %s", callers, Stats.list(axon, "%.0f")));
        }
    }

    private void measure(Map<String, List<Double>> rates, Map<String, Cost> costs, Duration window)
            throws Exception {
        for (int rep = 0; rep < stage.plan.repetitions(); rep++) {
            for (int callers : CALLERS) {
                for (String kind : KINDS) {
                    JsonNode result = append(kind, callers, window);
                    String key = kind + "/" + callers;
                    rates.computeIfAbsent(key, k -> new ArrayList<>())
                            .add(result.path("perSecond").asDouble());
                    costs.merge(key, Cost.of(result.path("cost")), Cost::plus);
                }
            }
        }
    }

    private static String spreads(Map<String, List<Double>> rates) {
        List<String> spreads = new ArrayList<>();
        rates.forEach((key, series) -> spreads.add(f("%s %.0f%%", key, Stats.spread(series) * 100)));
        return String.join(", ", spreads);
    }

    private JsonNode append(String kind, int callers, Duration window) throws Exception {
        return append(kind, callers, window, false);
    }

    private JsonNode append(String kind, int callers, Duration window, boolean paused) throws Exception {
        stage.calls.bench("POST", "/caught-up"); // each run starts with the projections idle
        JsonNode result = stage.calls.bench(
                "POST",
                "/append",
                "kind",
                kind,
                "callers",
                callers,
                "millis",
                window.toMillis(),
                "workspace",
                Stage.STORE_WORKSPACE,
                "person",
                Stage.PERSON,
                "application",
                Stage.APPLICATION,
                "provider",
                Stage.PROVIDER,
                "paused",
                paused);
        if (result.path("failed").asLong() > 0) {
            throw new IllegalStateException(
                    kind + " failed " + result.path("failed").asLong() + " times");
        }
        return result;
    }
}
