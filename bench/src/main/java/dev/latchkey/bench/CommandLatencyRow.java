package dev.latchkey.bench;

import static dev.latchkey.bench.Stats.f;
import static dev.latchkey.bench.Stats.median;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Benchmark 5: the latency of one command (a rename) on Connections with 10, 1,000 and 10,000 prior events, one at a
 * time, and where the snapshots' CPU goes.
 */
final class CommandLatencyRow {

    private final Stage stage;

    CommandLatencyRow(Stage stage) {
        this.stage = stage;
    }

    void run() throws Exception {
        Plan plan = stage.plan;
        Calls calls = stage.calls;
        Stage.progress("5: command latency on connections with " + java.util.Arrays.toString(plan.historySizes())
                + " prior events");
        Map<Integer, String> connections = new LinkedHashMap<>();
        for (int size : plan.historySizes()) {
            connections.put(
                    size,
                    calls.bench(
                                    "POST",
                                    "/history",
                                    "events",
                                    size,
                                    "workspace",
                                    Stage.STORE_WORKSPACE,
                                    "person",
                                    Stage.PERSON,
                                    "application",
                                    Stage.APPLICATION,
                                    "provider",
                                    Stage.PROVIDER)
                            .path("connectionId")
                            .asText());
        }
        calls.bench("POST", "/caught-up");
        double snapshotterCpu = 0;
        for (Map.Entry<Integer, String> connection : connections.entrySet()) {
            // warm-up; the first command loads the whole seeded history (written without commands, so without
            // snapshots) and may trigger the first snapshot
            JsonNode first = calls.bench(
                    "POST",
                    "/latency",
                    "connectionId",
                    connection.getValue(),
                    "commands",
                    2,
                    "workspace",
                    Stage.STORE_WORKSPACE,
                    "person",
                    Stage.PERSON,
                    "awaitSnapshot",
                    connection.getKey() >= 100);
            stage.report.detail(f(
                    "5 %d events, first command after seeding: %.1f ms (%.1f ms CPU on the caller's thread);"
                            + " snapshots taken: %d, with %.1f ms CPU on the snapshotter-* threads",
                    connection.getKey(),
                    first.path("millis").get(0).asDouble(),
                    first.path("cpuMillis").get(0).asDouble(),
                    first.path("snapshotsTaken").asLong(),
                    first.path("snapshotterCpuMillis").asDouble()));
            snapshotterCpu += first.path("snapshotterCpuMillis").asDouble();
        }
        Map<Integer, List<Double>> medians = new LinkedHashMap<>();
        Map<Integer, List<Double>> cpuMedians = new LinkedHashMap<>();
        Map<Integer, Cost> costs = new LinkedHashMap<>();
        int commands = plan.latencyCommands();
        measure(connections, commands, medians, cpuMedians, costs);
        if (medians.values().stream().anyMatch(series -> Stats.spread(series) > Stats.TOO_SPREAD)) {
            // once more with twice the commands per repetition; only the second measurement is reported
            commands *= 2;
            stage.report.detail(
                    "5 the repetitions spread more than 20%: measured again with " + commands + " commands each");
            medians.clear();
            cpuMedians.clear();
            costs.clear();
            measure(connections, commands, medians, cpuMedians, costs);
        }
        long snapshots = calls.bench("GET", "/store").path("snapshots").asLong();
        int smallest = plan.historySizes()[0];
        double base = median(medians.get(smallest));
        for (Map.Entry<Integer, List<Double>> size : medians.entrySet()) {
            double latency = median(size.getValue());
            double ratio = latency / base;
            stage.report.line(
                    "5",
                    f("command latency (rename), Connection with %,d prior events", size.getKey()),
                    f("%.1f ms", latency),
                    f("%.1f ms with %d events", base, smallest),
                    f("%.1f×", ratio),
                    "≤ 1.5×; snapshots off the caller's thread",
                    f(
                            "%s; %s",
                            Report.met(ratio <= 1.5),
                            snapshots == 0
                                    ? "no snapshot taken"
                                    : f(
                                            "%d snapshots in the store; snapshotter-* threads used %.0f ms of CPU",
                                            snapshots, snapshotterCpu)),
                    costs.get(size.getKey()).perOperation());
            stage.report.detail(f(
                    "5 %d events: per-repetition medians of %d commands, ms: %s; CPU ms of the command's thread: %s",
                    size.getKey(),
                    commands,
                    Stats.list(size.getValue(), "%.1f"),
                    Stats.list(cpuMedians.get(size.getKey()), "%.1f")));
        }
        List<Double> lag = numbers(calls.bench(
                        "POST",
                        "/view-lag",
                        "connectionId",
                        connections.get(smallest),
                        "commands",
                        10,
                        "workspace",
                        Stage.STORE_WORKSPACE,
                        "person",
                        Stage.PERSON)
                .path("millis"));
        stage.report.detail(f(
                "5 after a command returns, the connection view's recorded position reached the head %.0f ms later"
                        + " (median of 10, one command at a time, right after each other): the wait of every"
                        + " read-your-writes call",
                median(lag)));
        int largest = plan.historySizes()[plan.historySizes().length - 1];
        stage.report.detail(f(
                "5 each prior event adds %.0f µs of latency and %.0f µs of CPU (from %d to %d events)",
                (median(medians.get(largest)) - base) * 1000 / (largest - smallest),
                (median(cpuMedians.get(largest)) - median(cpuMedians.get(smallest))) * 1000 / (largest - smallest),
                smallest,
                largest));
    }

    private void measure(
            Map<Integer, String> connections,
            int commands,
            Map<Integer, List<Double>> medians,
            Map<Integer, List<Double>> cpuMedians,
            Map<Integer, Cost> costs)
            throws Exception {
        for (int rep = 0; rep < stage.plan.repetitions(); rep++) {
            for (Map.Entry<Integer, String> connection : connections.entrySet()) {
                JsonNode timed = stage.calls.bench(
                        "POST",
                        "/latency",
                        "connectionId",
                        connection.getValue(),
                        "commands",
                        commands,
                        "workspace",
                        Stage.STORE_WORKSPACE,
                        "person",
                        Stage.PERSON);
                medians.computeIfAbsent(connection.getKey(), k -> new ArrayList<>())
                        .add(median(numbers(timed.path("millis"))));
                cpuMedians
                        .computeIfAbsent(connection.getKey(), k -> new ArrayList<>())
                        .add(median(numbers(timed.path("cpuMillis"))));
                costs.merge(connection.getKey(), Cost.of(timed.path("cost")), Cost::plus);
            }
        }
    }

    static List<Double> numbers(JsonNode array) {
        List<Double> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asDouble()));
        return values;
    }
}
