package dev.latchkey.bench;

import static dev.latchkey.bench.Stats.f;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Benchmark 9 (issue 13): the refresh scheduler's database cost at 100,000 connections of which 1 % are due, per run
 * and per minute at each design's interval: the schedule on {@code next_refresh_at} (a run every 5 s) beside the scan
 * it replaced (a run every 30 s over what expires within 90 s), on the same rows. See ScheduleBench.
 */
final class ScheduleRow {

    static final int CONNECTIONS = 100_000;
    static final double DUE_PERCENT = 1;
    static final int NEW_RUNS_PER_MINUTE = 12;
    static final int OLD_RUNS_PER_MINUTE = 2;

    private final Stage stage;

    ScheduleRow(Stage stage) {
        this.stage = stage;
    }

    void run() throws Exception {
        Stage.progress("9: the refresh schedule's cost at " + CONNECTIONS + " connections, " + DUE_PERCENT + " % due");
        JsonNode result = stage.calls.bench(
                "POST", "/schedule", "connections", CONNECTIONS, "duePercent", DUE_PERCENT, "runs", 15);
        long due = result.path("due").asLong();
        JsonNode now = result.path("new");
        JsonNode idle = result.path("newIdle");
        JsonNode old = result.path("old");
        double rowsPerDue = now.path("rowsRead").asDouble() / due;
        stage.report.line(
                "9",
                f("rows read to find the due refreshes, %,d connections, %,d due", CONNECTIONS, due),
                f("%,d rows (%.2f ms, %d statements)", now.path("rowsRead").asLong(), now.path("millis").asDouble(),
                        now.path("statements").asLong()),
                f("%,d rows due; the scan it replaced read %,d rows (%.2f ms)", due, old.path("rowsRead").asLong(),
                        old.path("millis").asDouble()),
                f("%.2f× the due rows", rowsPerDue),
                "no more per minute than the rows due",
                Report.met(rowsPerDue <= 1.0),
                "—");
        stage.report.line(
                "9",
                "a run with nothing due (the cost of looking)",
                f("%,d rows, %d buffers, %.3f ms", idle.path("rowsRead").asLong(), idle.path("buffers").asLong(),
                        idle.path("millis").asDouble()),
                f("%,d connections", CONNECTIONS),
                "—",
                "independent of the connections not due",
                Report.met(idle.path("rowsRead").asLong() == 0),
                "—");
        stage.report.detail(f(
                "9 per minute at each design's interval, with the same %,d rows due at every run (an upper bound: the"
                        + " scheduler refreshes what it finds, so a row is found once): schedule %d runs × %,d rows"
                        + " = %,d rows, %.1f ms; scan %d runs × %,d rows = %,d rows, %.1f ms",
                due,
                NEW_RUNS_PER_MINUTE,
                now.path("rowsRead").asLong(),
                NEW_RUNS_PER_MINUTE * now.path("rowsRead").asLong(),
                NEW_RUNS_PER_MINUTE * now.path("millis").asDouble(),
                OLD_RUNS_PER_MINUTE,
                old.path("rowsRead").asLong(),
                OLD_RUNS_PER_MINUTE * old.path("rowsRead").asLong(),
                OLD_RUNS_PER_MINUTE * old.path("millis").asDouble()));
        stage.report.detail(f(
                "9 the schedule's query through ConnectionQueries, paged as the scheduler pages: %.2f ms per run;"
                        + " buffers per run: schedule %d, scan %d; found: schedule %d, scan %d (the scan also takes"
                        + " what expires within 90 s)",
                result.path("newMillisReal").asDouble(),
                now.path("buffers").asLong(),
                old.path("buffers").asLong(),
                now.path("found").asLong(),
                old.path("found").asLong()));
    }
}
