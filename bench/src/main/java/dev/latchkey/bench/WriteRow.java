package dev.latchkey.bench;

import static dev.latchkey.bench.Stats.f;
import static dev.latchkey.bench.Stats.median;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * Benchmark 7: a write over HTTP ({@code PATCH /v1/connections/{id}}, a rename, answered with the connection as the
 * view shows it after the write) against a {@code GET /v1/connections/{id}} of one connection, in the same run:
 * {@link #CALLERS} callers in a closed loop, each on a connection of its own (so no two writes contend for one
 * aggregate).
 */
final class WriteRow {

    static final int CALLERS = 4;
    static final int MORE = 2;

    private final Stage stage;
    private final AtomicLong names = new AtomicLong();

    WriteRow(Stage stage) {
        this.stage = stage;
    }

    void run() throws Exception {
        Plan plan = stage.plan;
        Stage.progress("7: PATCH /v1/connections/{id} (rename) against GET /v1/connections/{id}, " + CALLERS
                + " callers");
        stage.seed(Stage.WRITE_WORKSPACE, CALLERS, Duration.ofDays(30));
        // a person of the workspace, owner of the connections: may rename them
        String person = stage.token(Map.of(
                "sub", "user:bench",
                "wid", Stage.WRITE_WORKSPACE,
                "uwid", Stage.PERSON,
                "scope", "connections:read connections:write"));
        JsonNode list = stage.calls.api("GET", "/v1/connections?providerName=" + Stage.PROVIDER, person, null);
        List<String> ids = new ArrayList<>();
        list.path("items").forEach(item -> ids.add(item.path("id").asText()));
        if (ids.size() < CALLERS) {
            throw new IllegalStateException("the person sees " + ids.size() + " connections, not " + CALLERS);
        }
        String base = stage.server.baseUrl();
        IntFunction<Supplier<HttpRequest>> reads =
                caller -> () -> Stage.get(base + "/v1/connections/" + ids.get(caller), person);
        IntFunction<Supplier<HttpRequest>> writes = caller -> () -> HttpRequest.newBuilder(
                        URI.create(base + "/v1/connections/" + ids.get(caller)))
                .header("Authorization", "Bearer " + person)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .timeout(Duration.ofSeconds(30))
                .method(
                        "PATCH",
                        HttpRequest.BodyPublishers.ofString(
                                "{\"name\":\"Write " + caller + "-" + names.incrementAndGet() + "\"}"))
                .build();
        HttpLoad.run(stage.http, writes, CALLERS, plan.httpWindow().dividedBy(2));
        HttpLoad.run(stage.http, reads, CALLERS, plan.httpWindow().dividedBy(2));

        List<Double> writeP50 = new ArrayList<>();
        List<Double> writeP99 = new ArrayList<>();
        List<Double> readP50 = new ArrayList<>();
        List<Double> readP99 = new ArrayList<>();
        Cost writeCost = Cost.NONE;
        Cost readCost = Cost.NONE;
        int repetitions = plan.repetitions();
        for (int rep = 0; rep < repetitions; rep++) {
            for (boolean write : rep % 2 == 0 ? new boolean[] {true, false} : new boolean[] {false, true}) {
                JsonNode before = stage.meter();
                HttpLoad.Window window =
                        HttpLoad.run(stage.http, write ? writes : reads, CALLERS, plan.httpWindow());
                JsonNode after = stage.meter();
                if (window.errors() > 0) {
                    throw new IllegalStateException(
                            (write ? "PATCH" : "GET") + ": " + window.errors() + " requests failed");
                }
                Cost cost = Cost.between(before, after, window.requests());
                (write ? writeP50 : readP50).add(window.p50Millis());
                (write ? writeP99 : readP99).add(window.p99Millis());
                if (write) {
                    writeCost = writeCost.plus(cost);
                } else {
                    readCost = readCost.plus(cost);
                }
            }
            if (rep == repetitions - 1
                    && repetitions == stage.plan.repetitions()
                    && Stats.tooSpread(writeP50, readP50)) {
                stage.report.detail("7 the repetitions spread more than 20%: " + MORE + " more");
                repetitions += MORE;
            }
        }
        double p50Ratio = median(writeP50) / median(readP50);
        double p99Ratio = median(writeP99) / median(readP99);
        stage.report.line(
                "7",
                f("write over HTTP: `PATCH /v1/connections/{id}` (rename), %d callers", CALLERS),
                f("p50 %.1f ms, p99 %.1f ms", median(writeP50), median(writeP99)),
                f("`GET /v1/connections/{id}`: p50 %.1f ms, p99 %.1f ms", median(readP50), median(readP99)),
                f("p50 %.1f×, p99 %.1f×", p50Ratio, p99Ratio),
                "≤ 3× the GET",
                f(
                        "%s (p50 %s, p99 %s)",
                        Report.met(p50Ratio <= 3 && p99Ratio <= 3),
                        Report.met(p50Ratio <= 3),
                        Report.met(p99Ratio <= 3)),
                f("PATCH: %s; GET: %s", writeCost.perOperation(), readCost.perOperation()));
        stage.report.detail(f(
                "7 PATCH p50 ms %s, p99 ms %s | GET p50 ms %s, p99 ms %s (closed-loop windows of %d s; PATCH %d and"
                        + " GET %d requests in all)",
                Stats.list(writeP50, "%.1f"),
                Stats.list(writeP99, "%.1f"),
                Stats.list(readP50, "%.1f"),
                Stats.list(readP99, "%.1f"),
                plan.httpWindow().toSeconds(),
                writeCost.operations(),
                readCost.operations()));
    }
}
