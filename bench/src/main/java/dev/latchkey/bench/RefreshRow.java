package dev.latchkey.bench;

import static dev.latchkey.bench.Stats.f;
import static dev.latchkey.bench.Stats.median;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Benchmark 2: refreshes per second when 1,000 connections are due at once and the provider answers in 100 ms, the
 * application's {@code ScheduledRefresh} against a row-lock design (one {@code SELECT … FOR UPDATE} held across the
 * provider call) with the same pool size and workers, in the same run; and whether an exchange ever starts holding
 * anything of the database.
 */
final class RefreshRow {

    static final int MORE = 2;

    private final Stage stage;

    RefreshRow(Stage stage) {
        this.stage = stage;
    }

    void run() throws Exception {
        Plan plan = stage.plan;
        Calls calls = stage.calls;
        int count = plan.refreshConnections();
        int warmup = count / 10;
        Stage.progress("2: refreshing " + warmup + " connections to warm up, then " + count + " at once, "
                + plan.repetitions() + " times, each beside the row-lock peer");
        double seeding = stage.seed(Stage.REFRESH_WORKSPACE, warmup, Duration.ofHours(1))
                .path("seconds")
                .asDouble();
        // two hours on: every token handed out an hour ago is expired, so all of them are due at once
        long twoHours = Duration.ofHours(2).toSeconds();
        JsonNode warm = calls.bench("POST", "/refresh", "shiftSeconds", twoHours);
        if (warm.path("exchanges").asLong() != warmup) {
            throw new IllegalStateException("the warm-up refreshed " + warm.path("exchanges") + " of " + warmup);
        }
        seeding += stage.seed(Stage.REFRESH_WORKSPACE, count - warmup, Duration.ofHours(1))
                .path("seconds")
                .asDouble();
        String tokenUrl = stage.provider.url() + "/token";
        calls.bench("POST", "/row-lock/prepare", "count", warmup);
        JsonNode peerWarm = calls.bench("POST", "/row-lock", "tokenUrl", tokenUrl);
        calls.bench("POST", "/row-lock/prepare", "count", count);
        stage.report.detail(f(
                "2 seeding %d connections by commands (3 commands each, 8 threads) took %.1f s; warm-up: %d"
                        + " refreshes at %.1f/s; the peer's warm-up: %d at %.1f/s",
                count,
                seeding,
                warmup,
                warm.path("perSecond").asDouble(),
                peerWarm.path("refreshed").asLong(),
                peerWarm.path("perSecond").asDouble()));
        List<Double> rates = new ArrayList<>();
        List<Double> peerRates = new ArrayList<>();
        Cost cost = Cost.NONE;
        Cost peerCost = Cost.NONE;
        long exchanges = 0;
        long holding = 0;
        int activeMax = 0;
        int awaitingMax = 0;
        List<Double> waitingMedians = new ArrayList<>();
        List<Double> activeMedians = new ArrayList<>();
        int poolSize = 0;
        int workers = 0;
        int peerLocksMax = 0;
        int repetitions = plan.repetitions();
        for (int rep = 0; rep < repetitions; rep++) {
            for (boolean latchkey : rep % 2 == 0 ? new boolean[] {true, false} : new boolean[] {false, true}) {
                if (!latchkey) {
                    JsonNode peer = calls.bench("POST", "/row-lock", "tokenUrl", tokenUrl, "workers", workers);
                    if (peer.path("refreshed").asLong() != count || peer.path("dueAfter").asLong() != 0) {
                        throw new IllegalStateException("the row-lock peer refreshed " + peer.path("refreshed")
                                + " of " + count + ": " + peer);
                    }
                    peerRates.add(peer.path("perSecond").asDouble());
                    peerCost = peerCost.plus(Cost.of(peer.path("cost")));
                    peerLocksMax = Math.max(peerLocksMax, peer.path("mostTransactionsHoldingARowLock").asInt());
                    stage.report.detail("2 row-lock peer run: " + peer);
                    continue;
                }
                JsonNode run = calls.bench("POST", "/refresh", "shiftSeconds", twoHours);
                if (run.path("exchanges").asLong() != count || run.path("dueAfter").asInt() != 0) {
                    throw new IllegalStateException(
                            "the run refreshed " + run.path("exchanges").asLong() + " of " + count + " and left "
                                    + run.path("dueAfter").asInt() + " due: " + run);
                }
                rates.add(run.path("perSecond").asDouble());
                cost = cost.plus(Cost.of(run.path("cost")));
                exchanges += run.path("exchanges").asLong();
                holding += run.path("exchangesEnteredHoldingDatabase").asLong();
                activeMax = Math.max(activeMax, run.path("activeWhileWaitingMax").asInt());
                awaitingMax = Math.max(awaitingMax, run.path("threadsAwaitingConnectionMax").asInt());
                waitingMedians.add(run.path("waitingMedian").asDouble());
                activeMedians.add(run.path("activeWhileWaitingMedian").asDouble());
                poolSize = run.path("poolSize").asInt();
                workers = run.path("workers").asInt();
                stage.report.detail("2 run: " + run);
            }
            if (rep == repetitions - 1 && repetitions == plan.repetitions() && Stats.tooSpread(rates, peerRates)) {
                stage.report.detail("2 the repetitions spread more than 20%: " + MORE + " more");
                repetitions += MORE;
            }
        }
        double rate = median(rates);
        double peerRate = median(peerRates);
        double ratio = rate / peerRate;
        boolean noneHeld = holding == 0;
        stage.report.line(
                "2",
                f("refreshes/s, %,d connections due at once, provider answering in 100 ms", count),
                f(
                        "%.0f refreshes/s, CPU %.2f ms per refresh; %d of %,d exchanges entered holding a"
                                + " transaction, connection or unit of work; while waiting: median %.0f exchanges in"
                                + " flight, Hikari active median %.0f, max %d of %d, up to %d threads queued for a"
                                + " connection",
                        rate,
                        cost.cpuMillisPerOperation(),
                        holding,
                        exchanges,
                        median(waitingMedians),
                        median(activeMedians),
                        activeMax,
                        poolSize,
                        awaitingMax),
                f(
                        "row-lock peer (SELECT … FOR UPDATE held across the provider call, pool of %d, %d workers):"
                                + " %.0f refreshes/s, up to %d rows locked at once",
                        poolSize, workers, peerRate, peerLocksMax),
                f("%.2f×", ratio),
                "≥ 150/s and ≥ 3× the row-lock peer; no DB connection held while waiting",
                f(
                        "%s (rate %s, peer %s, no connection held %s)",
                        Report.met(rate >= 150 && ratio >= 3 && noneHeld),
                        Report.met(rate >= 150),
                        Report.met(ratio >= 3),
                        Report.met(noneHeld)),
                f("Latchkey: %s; peer: %s", cost.perOperation(), peerCost.perOperation()));
        stage.report.detail(f(
                "2 refreshes/s %s; row-lock peer %s; the stub answered %d token requests in all, at most %d at once",
                Stats.list(rates, "%.1f"),
                Stats.list(peerRates, "%.1f"),
                stage.provider.answered(),
                stage.provider.mostAtOnce()));
    }
}
