package dev.latchkey.bench.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.query.connection.ConnectionQueries;
import dev.latchkey.query.connection.FindConnectionsDueForRefresh;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Benchmark 9: what finding the due refreshes costs the database at {@code connections} connections of which
 * {@code duePercent} % are due, for the scheduler of issue 13 (a partial index on {@code next_refresh_at}, a run every
 * 5 s) beside the scan it replaced (the access-token expiry within refresh-ahead plus the interval, lease and backoff
 * filtered per row, a run every 30 s), on the same rows. The rows are synthetic (no tokens to refresh), written into
 * {@code connection_view} and deleted afterwards; the old design's index is created for its measurement and dropped.
 * Each query pages through every row it finds, 200 at a time, as the scheduler does. Rows read are the scan nodes'
 * rows plus the rows their filters removed, from {@code EXPLAIN (ANALYZE, BUFFERS)}.
 */
@Component
class ScheduleBench {

    private static final int PAGE = 200;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The scheduler's query as ConnectionQueries runs it (FindConnectionsDueForRefresh), for EXPLAIN. */
    private static final String NEW_QUERY = """
            SELECT connection_id, next_refresh_at FROM connection_view
             WHERE next_refresh_at IS NOT NULL AND next_refresh_at <= ?
               AND (next_refresh_at, connection_id) > (?, ?)
             ORDER BY next_refresh_at, connection_id LIMIT 200""";

    /** The query of the scan it replaced (main before issue 13), window = refresh-ahead 60 s + interval 30 s. */
    private static final String OLD_QUERY = """
            SELECT connection_id, access_token_expires_at FROM connection_view
             WHERE status = 'active' AND refresh_token_ciphertext IS NOT NULL
               AND access_token_expires_at < ?
               AND (refresh_lease_expires_at IS NULL OR refresh_lease_expires_at <= ?)
               AND (refresh_retry_after IS NULL OR refresh_retry_after <= ?)
               AND (access_token_expires_at, connection_id) > (?, ?)
             ORDER BY access_token_expires_at, connection_id LIMIT 200""";

    private final JdbcTemplate jdbc;
    private final ConnectionQueries connections;
    private final Clock clock;

    ScheduleBench(JdbcTemplate jdbc, ConnectionQueries connections, Clock clock) {
        this.jdbc = jdbc;
        this.connections = connections;
        this.clock = clock;
    }

    Map<String, Object> run(int count, double duePercent, int runs) throws Exception {
        Instant now = clock.instant();
        int due = (int) Math.round(count * duePercent / 100);
        // the bench's other rows that are due already (rows 2 and 2b shift the clock) count as due too
        Long already = jdbc.queryForObject(
                "SELECT count(*) FROM connection_view WHERE next_refresh_at <= ?", Long.class, Timestamp.from(now));
        seed(count, due, now);
        try {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("connections", count);
            result.put("due", due + (already == null ? 0 : already));
            result.put("new", measure(NEW_QUERY, now, runs, false));
            // nothing due: just before the earliest scheduled refresh of every row (the bench's others included)
            Timestamp earliest = jdbc.queryForObject(
                    "SELECT min(next_refresh_at) FROM connection_view", Timestamp.class);
            result.put("newIdle", measure(NEW_QUERY, earliest.toInstant().minusSeconds(1), runs, false));
            result.put("newMillisReal", realQueryMillis(now, runs));
            jdbc.execute("CREATE INDEX bench_old_due_for_refresh ON connection_view (access_token_expires_at)"
                    + " WHERE status = 'active' AND refresh_token_ciphertext IS NOT NULL");
            jdbc.execute("ANALYZE connection_view");
            try {
                result.put("old", measure(OLD_QUERY, now, runs, true));
            } finally {
                jdbc.execute("DROP INDEX bench_old_due_for_refresh");
            }
            return result;
        } finally {
            jdbc.update("DELETE FROM connection_view WHERE workspace_id = 'bench-schedule'");
        }
    }

    /**
     * {@code due} rows whose scheduled refresh has passed (up to a minute ago), the others spread over the next
     * hour, as one-hour tokens refreshed 60 s ahead would be; none in flight or backing off.
     */
    private void seed(int count, int due, Instant now) {
        jdbc.update(
                """
                INSERT INTO connection_view (connection_id, workspace_id, application_id, provider_name, name,
                    visibility, owner_user_workspace_id, scopes, status, created_at, updated_at,
                    access_token_key_id, access_token_ciphertext, access_token_expires_at,
                    refresh_token_key_id, refresh_token_ciphertext, tokens_recorded_at, last_refreshed_at,
                    next_refresh_at, last_sequence, last_position)
                SELECT 'bench-schedule-' || g, 'bench-schedule', 'bench-schedule-app', 'acme', 'n', 'workspace',
                       'uw-bench', '{}', 'active', ?, ?, 'k', 'a', due_at + interval '60 seconds', 'k', 'r', 2, ?,
                       due_at, 2, 0
                  FROM (SELECT g, CASE WHEN g <= ? THEN ?::timestamptz - (g % 60) * interval '1 second'
                                       ELSE ?::timestamptz + (g::float8 / ?) * interval '1 hour' END AS due_at
                          FROM generate_series(1, ?) g) seeded
                """,
                Timestamp.from(now),
                Timestamp.from(now),
                Timestamp.from(now),
                due,
                Timestamp.from(now),
                Timestamp.from(now.plusSeconds(1)),
                count,
                count);
        jdbc.execute("ANALYZE connection_view");
    }

    /** Pages through what {@code query} finds at {@code at}, {@code runs} times; medians per run. */
    private Map<String, Object> measure(String query, Instant at, int runs, boolean old) throws Exception {
        List<Double> millis = new ArrayList<>();
        List<Long> rowsRead = new ArrayList<>();
        List<Long> buffers = new ArrayList<>();
        long found = 0;
        long statements = 0;
        for (int run = 0; run < runs; run++) {
            double runMillis = 0;
            long runRows = 0;
            long runBuffers = 0;
            long runFound = 0;
            long runStatements = 0;
            Object[] cursor = {Timestamp.from(Instant.EPOCH), ""};
            while (true) {
                Object[] arguments = old
                        ? new Object[] {
                            Timestamp.from(at.plusSeconds(90)), Timestamp.from(at), Timestamp.from(at), cursor[0], cursor[1]
                        }
                        : new Object[] {Timestamp.from(at), cursor[0], cursor[1]};
                String plan = jdbc.queryForObject(
                        "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + query, String.class, arguments);
                JsonNode root = JSON.readTree(plan).get(0);
                runMillis += root.path("Execution Time").asDouble() + root.path("Planning Time").asDouble();
                long[] tally = new long[3];
                walk(root.path("Plan"), tally);
                runRows += tally[0];
                runBuffers += tally[1];
                long page = root.path("Plan").path("Actual Rows").asLong();
                runFound += page;
                runStatements++;
                if (page < PAGE) {
                    break;
                }
                List<Map<String, Object>> last = jdbc.queryForList(
                        query.replace("LIMIT 200", "LIMIT 1 OFFSET 199"), arguments);
                cursor = new Object[] {last.get(0).values().toArray()[1], last.get(0).get("connection_id")};
            }
            millis.add(runMillis);
            rowsRead.add(runRows);
            buffers.add(runBuffers);
            found = runFound;
            statements = runStatements;
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("millis", median(millis));
        result.put("rowsRead", rowsRead.get(rowsRead.size() / 2));
        result.put("buffers", buffers.get(buffers.size() / 2));
        result.put("found", found);
        result.put("statements", statements);
        return result;
    }

    /** The real scheduler query, through ConnectionQueries, paged as ScheduledRefresh pages: median ms per run. */
    private double realQueryMillis(Instant at, int runs) {
        List<Double> millis = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            long started = System.nanoTime();
            FindConnectionsDueForRefresh.Cursor after = null;
            while (true) {
                var page = connections.handle(new FindConnectionsDueForRefresh(at, PAGE, after)).items();
                if (page.size() < PAGE) {
                    break;
                }
                after = FindConnectionsDueForRefresh.Cursor.of(page.get(page.size() - 1));
            }
            millis.add((System.nanoTime() - started) / 1e6);
        }
        return median(millis);
    }

    /** tally[0]: rows the scans returned or filtered out; tally[1]: shared buffers hit or read (top node's total). */
    private static void walk(JsonNode node, long[] tally) {
        if (tally[1] == 0) {
            tally[1] = node.path("Shared Hit Blocks").asLong() + node.path("Shared Read Blocks").asLong();
        }
        if (node.path("Node Type").asText().contains("Scan")) {
            tally[0] += node.path("Actual Rows").asLong() * Math.max(1, node.path("Actual Loops").asLong())
                    + node.path("Rows Removed by Filter").asLong()
                    + node.path("Rows Removed by Index Recheck").asLong();
        }
        for (JsonNode child : node.path("Plans")) {
            walk(child, tally);
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        return sorted.get(sorted.size() / 2);
    }
}
