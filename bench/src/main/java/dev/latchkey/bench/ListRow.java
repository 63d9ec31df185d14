package dev.latchkey.bench;

import static dev.latchkey.bench.Stats.f;
import static dev.latchkey.bench.Stats.median;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Benchmark 1: {@code GET /v1/connections} (20 rows with their access tokens) against its JdbcTemplate floor and a
 * peer on Spring Security's {@code JdbcOAuth2AuthorizedClientService}, all three behind the same filter chain and JWT
 * check: closed loop (16 callers), and open loop at a fixed offered rate for the p99.
 */
final class ListRow {

    static final int ROWS = 20;
    static final int CONCURRENCY = 16;
    /** Extra repetitions when the first ones spread more than 20%. */
    static final int MORE = 2;

    /** One of the three endpoints, and what its windows measured. {@code cost} holds one running total. */
    private record Target(
            String name,
            HttpRequest request,
            List<Double> rate,
            List<Double> p99,
            List<Double> offeredP99,
            List<Double> offeredP50,
            Cost[] cost) {
        Target(String name, HttpRequest request) {
            this(
                    name,
                    request,
                    new ArrayList<>(),
                    new ArrayList<>(),
                    new ArrayList<>(),
                    new ArrayList<>(),
                    new Cost[] {Cost.NONE});
        }
    }

    private final Stage stage;

    ListRow(Stage stage) {
        this.stage = stage;
    }

    void run() throws Exception {
        Plan plan = stage.plan;
        Stage.progress("1: seeding " + ROWS + " connections (and the peer's authorized clients), then GET"
                + " /v1/connections against its floor and its peer");
        stage.seed(Stage.LIST_WORKSPACE, ROWS, Duration.ofDays(30));
        JsonNode peerSeed = stage.calls.bench(
                "POST",
                "/peer/seed",
                "workspace",
                Stage.LIST_WORKSPACE,
                "expiresInSeconds",
                Duration.ofDays(30).toSeconds());
        stage.report.detail("1 peer: " + peerSeed);
        // a logic function of the app on a cron trigger: it sees the workspace's connections, with access tokens
        String function = stage.token(Map.of(
                "sub", "fn:bench",
                "wid", Stage.LIST_WORKSPACE,
                "app", Stage.APPLICATION,
                "trigger", "cron",
                "scope", "connections:credentials"));
        String base = stage.server.baseUrl();
        Target latchkey =
                new Target("Latchkey", Stage.get(base + "/v1/connections?providerName=" + Stage.PROVIDER, function));
        Target floor = new Target(
                "floor", Stage.get(base + "/v1/bench/connections?providerName=" + Stage.PROVIDER, function));
        Target peer = new Target(
                "peer", Stage.get(base + "/v1/bench/peer/connections?providerName=" + Stage.PROVIDER, function));
        List<Target> targets = List.of(latchkey, floor, peer);
        checkRows(latchkey.request(), true);
        checkRows(floor.request(), false);
        checkRows(peer.request(), true);

        Duration warmupSlice = plan.httpWarmup().dividedBy(6);
        for (int i = 0; i < 6; i++) {
            HttpLoad.run(stage.http, targets.get(i % 3).request(), CONCURRENCY, warmupSlice);
        }
        Duration offeredWindow = plan.httpWindow().dividedBy(2);
        int repetitions = plan.repetitions();
        for (int rep = 0; rep < repetitions; rep++) {
            // rotate which goes first, so a drift in the machine's load does not always favour the same one
            for (int k = 0; k < targets.size(); k++) {
                Target target = targets.get((rep + k) % targets.size());
                JsonNode before = stage.meter();
                HttpLoad.Window window =
                        HttpLoad.run(stage.http, target.request(), CONCURRENCY, plan.httpWindow());
                JsonNode after = stage.meter();
                if (window.errors() > 0) {
                    throw new IllegalStateException(target.name() + ": " + window.errors() + " requests failed");
                }
                target.rate().add(window.perSecond());
                target.p99().add(window.p99Millis());
                target.cost()[0] = target.cost()[0].plus(Cost.between(before, after, window.requests()));
            }
            for (int k = 0; k < targets.size(); k++) {
                Target target = targets.get((rep + k) % targets.size());
                HttpLoad.Window window =
                        HttpLoad.offered(stage.http, target.request(), plan.offeredPerSecond(), offeredWindow);
                if (window.errors() > 0) {
                    throw new IllegalStateException(
                            target.name() + " at a fixed rate: " + window.errors() + " requests failed");
                }
                target.offeredP99().add(window.p99Millis());
                target.offeredP50().add(window.p50Millis());
            }
            if (rep == repetitions - 1
                    && repetitions == plan.repetitions()
                    && Stats.tooSpread(latchkey.rate(), floor.rate(), peer.rate())) {
                stage.report.detail("1 the repetitions spread more than 20%: " + MORE + " more");
                repetitions += MORE;
            }
        }
        double ratio = median(latchkey.rate()) / median(floor.rate());
        double peerRatio = median(latchkey.rate()) / median(peer.rate());
        double p99 = median(latchkey.p99());
        double offeredP99 = median(latchkey.offeredP99());
        stage.report.line(
                "1",
                "`GET /v1/connections`, 20 rows with fresh tokens, JWT checked, 16 connections (closed loop); p99 at "
                        + f("%.0f", plan.offeredPerSecond()) + " req/s offered (open loop)",
                f(
                        "%.0f req/s, p99 %.1f ms; at %.0f req/s: p99 %.1f ms",
                        median(latchkey.rate()), p99, plan.offeredPerSecond(), offeredP99),
                f(
                        "floor (JdbcTemplate): %.0f req/s, p99 %.1f ms; at %.0f req/s p99 %.1f ms. Peer"
                                + " (JdbcOAuth2AuthorizedClientService): %.0f req/s, p99 %.1f ms; at %.0f req/s"
                                + " p99 %.1f ms",
                        median(floor.rate()),
                        median(floor.p99()),
                        plan.offeredPerSecond(),
                        median(floor.offeredP99()),
                        median(peer.rate()),
                        median(peer.p99()),
                        plan.offeredPerSecond(),
                        median(peer.offeredP99())),
                f("%.2f× floor, %.2f× peer", ratio, peerRatio),
                "≥ 0.8× floor, ≥ 1.0× peer",
                f(
                        "%s (floor %s, peer %s)",
                        Report.met(ratio >= 0.8 && peerRatio >= 1.0),
                        Report.met(ratio >= 0.8),
                        Report.met(peerRatio >= 1.0)),
                f(
                        "Latchkey: %s; floor: %s; peer: %s",
                        latchkey.cost()[0].perOperation(),
                        floor.cost()[0].perOperation(),
                        peer.cost()[0].perOperation()));
        for (Target target : targets) {
            stage.report.detail(f(
                    "1 %s: closed loop req/s %s, p99 ms %s | at %.0f req/s offered: p50 ms %s, p99 ms %s | per request:"
                            + " %s (closed-loop windows of %d s after %d s of warm-up; open-loop windows of %d s)",
                    target.name(),
                    Stats.list(target.rate(), "%.0f"),
                    Stats.list(target.p99(), "%.1f"),
                    plan.offeredPerSecond(),
                    Stats.list(target.offeredP50(), "%.1f"),
                    Stats.list(target.offeredP99(), "%.1f"),
                    target.cost()[0].perOperation(),
                    plan.httpWindow().toSeconds(),
                    plan.httpWarmup().toSeconds(),
                    offeredWindow.toSeconds()));
        }
    }

    private void checkRows(HttpRequest request, boolean withTokens) throws Exception {
        HttpResponse<String> response = stage.http.send(request, HttpResponse.BodyHandlers.ofString());
        JsonNode items = new ObjectMapper().readTree(response.body()).path("items");
        if (response.statusCode() != 200 || items.size() != ROWS) {
            throw new IllegalStateException(request.uri().getPath() + " answered " + response.statusCode() + " with "
                    + items.size() + " rows instead of " + ROWS);
        }
        if (withTokens && items.get(0).path("accessToken").asText().isEmpty()) {
            throw new IllegalStateException(request.uri().getPath() + ": the rows carry no access token");
        }
    }
}
