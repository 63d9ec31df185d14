package dev.latchkey.bench;

import static dev.latchkey.bench.Stats.f;
import static dev.latchkey.bench.Stats.median;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Benchmark 2b: one read of a connection whose access token is due ({@code GET /v1/connections/{id}} by a logic
 * function, which refreshes on read: decide, the provider's 100 ms, record, the view), one read at a time, against
 * the provider's own latency as the driver sees it (a token request sent straight to the stub), in the same run.
 */
final class RefreshOnReadRow {

    static final String WORKSPACE = "ws-refresh-on-read";

    private final Stage stage;

    RefreshOnReadRow(Stage stage) {
        this.stage = stage;
    }

    void run() throws Exception {
        int reads = stage.plan.quick() ? 10 : 40;
        Stage.progress("2b: " + reads + " reads of a connection whose token is due, one at a time, against the"
                + " provider's own latency");
        JsonNode seeded = stage.seed(WORKSPACE, reads, Duration.ofHours(1));
        List<String> ids = new ArrayList<>();
        seeded.path("ids").forEach(id -> ids.add(id.asText()));
        // two hours on: every one of them is due, and nothing refreshes it before its read (the scheduler is off)
        Instant now = Instant.parse(stage.calls
                .bench("POST", "/shift", "seconds", Duration.ofHours(2).toSeconds())
                .path("now")
                .asText());
        String function = stage.token(Map.of(
                "sub", "fn:bench-2b",
                "wid", WORKSPACE,
                "app", Stage.APPLICATION,
                "trigger", "cron",
                "scope", "connections:credentials"),
                now);
        String base = stage.server.baseUrl();
        HttpRequest direct = HttpRequest.newBuilder(URI.create(stage.provider.url() + "/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=refresh_token&refresh_token=bench"))
                .build();
        long answeredBefore = stage.provider.answered();
        List<Double> readMillis = new ArrayList<>();
        List<Double> providerMillis = new ArrayList<>();
        for (String id : ids) {
            providerMillis.add(timed(direct, 200));
            readMillis.add(timed(Stage.get(base + "/v1/connections/" + id, function), 200));
        }
        long refreshed = stage.provider.answered() - answeredBefore - providerMillis.size();
        if (refreshed != ids.size()) {
            throw new IllegalStateException("the reads refreshed " + refreshed + " of " + ids.size());
        }
        double read = median(readMillis);
        double provider = median(providerMillis);
        double ratio = read / provider;
        stage.report.line(
                "2b",
                "one read of a connection whose token is due (refresh on read), one at a time",
                f(
                        "%.1f ms (median of %d; slowest %.1f ms)",
                        read,
                        ids.size(),
                        readMillis.stream().mapToDouble(d -> d).max().orElse(0)),
                f("%.1f ms (the stub's token endpoint, called directly)", provider),
                f("%.2f×", ratio),
                "≤ 1.3× the provider's latency",
                Report.met(ratio <= 1.3));
        stage.report.detail(f(
                "2b reads ms %s; the provider directly ms %s",
                Stats.list(readMillis, "%.1f"),
                Stats.list(providerMillis, "%.1f")));
    }

    private double timed(HttpRequest request, int expected) throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> answer = stage.http.send(request, HttpResponse.BodyHandlers.ofString());
        double millis = (System.nanoTime() - start) / 1e6;
        if (answer.statusCode() != expected) {
            throw new IllegalStateException(request.uri().getPath() + " answered " + answer.statusCode());
        }
        if (request.uri().getPath().startsWith("/v1/") && !answer.body().contains("\"accessToken\"")) {
            throw new IllegalStateException("the read answered no access token: the refresh failed");
        }
        return millis;
    }
}
