package dev.latchkey.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/** What the soak's requests got, by operation and class, and when (one bucket per second of the run). */
final class SoakTally {

    static final String OK = "2xx";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Map<String, LongAdder>> counts = new ConcurrentHashMap<>();
    private final long startNanos;
    private final AtomicLongArray okPerSecond;
    private final AtomicLongArray failedPerSecond;

    SoakTally(long startNanos, int seconds) {
        this.startNanos = startNanos;
        this.okPerSecond = new AtomicLongArray(seconds);
        this.failedPerSecond = new AtomicLongArray(seconds);
    }

    /** The class of an answer: 2xx, or the status and the problem type ({@code 503 database-unavailable}). */
    static String classOf(int status, String body) {
        if (status / 100 == 2) {
            return OK;
        }
        String type = "";
        try {
            JsonNode problem = JSON.readTree(body);
            String uri = problem.path("type").asText("");
            type = uri.isEmpty() ? "" : " " + uri.substring(uri.lastIndexOf('/') + 1);
        } catch (Exception e) {
            // not problem+json (an HTML page of the browser endpoints, or nothing)
        }
        return status + type;
    }

    static String classOf(Exception e) {
        if (e instanceof HttpConnectTimeoutException) {
            return "timeout (connecting)";
        }
        if (e instanceof HttpTimeoutException) {
            return "timeout (no answer in time)";
        }
        if (e instanceof ConnectException) {
            return "connection refused (node down)";
        }
        return "I/O error (" + e.getClass().getSimpleName() + ")";
    }

    void count(String operation, String outcome) {
        counts.computeIfAbsent(operation, o -> new ConcurrentHashMap<>())
                .computeIfAbsent(outcome, c -> new LongAdder())
                .increment();
        int second = (int) ((System.nanoTime() - startNanos) / 1_000_000_000L);
        if (second >= 0 && second < okPerSecond.length()) {
            (OK.equals(outcome) ? okPerSecond : failedPerSecond).incrementAndGet(second);
        }
    }

    long total(String operation) {
        Map<String, LongAdder> byClass = counts.get(operation);
        return byClass == null ? 0 : byClass.values().stream().mapToLong(LongAdder::sum).sum();
    }

    long of(String operation, String outcome) {
        Map<String, LongAdder> byClass = counts.get(operation);
        LongAdder adder = byClass == null ? null : byClass.get(outcome);
        return adder == null ? 0 : adder.sum();
    }

    /** Markdown: one row per operation, one column per class seen. */
    String table(List<String> operations) {
        TreeSet<String> classes = new TreeSet<>();
        counts.values().forEach(byClass -> classes.addAll(byClass.keySet()));
        classes.remove(OK);
        List<String> columns = new ArrayList<>();
        columns.add(OK);
        columns.addAll(classes);
        StringBuilder out = new StringBuilder("| operation | sent | ");
        out.append(String.join(" | ", columns)).append(" |\n|---|---|");
        columns.forEach(c -> out.append("---|"));
        out.append('\n');
        long[] totals = new long[columns.size() + 1];
        List<String> rows = new ArrayList<>(operations);
        counts.keySet().stream().filter(o -> !rows.contains(o)).sorted().forEach(rows::add);
        for (String operation : rows) {
            out.append("| ").append(operation).append(" | ").append(total(operation));
            totals[0] += total(operation);
            for (int i = 0; i < columns.size(); i++) {
                long n = of(operation, columns.get(i));
                totals[i + 1] += n;
                out.append(" | ").append(n == 0 ? "" : Long.toString(n));
            }
            out.append(" |\n");
        }
        out.append("| **all** | **").append(totals[0]).append("**");
        for (int i = 0; i < columns.size(); i++) {
            out.append(" | **").append(totals[i + 1]).append("**");
        }
        return out.append(" |\n").toString();
    }

    /** Seconds with failures, grouped in runs: "t=61-79 s: 812 ok, 95 failed". */
    List<String> failureWindows(int untilSecond) {
        List<String> windows = new ArrayList<>();
        int limit = Math.min(untilSecond, okPerSecond.length());
        int s = 0;
        while (s < limit) {
            if (failedPerSecond.get(s) == 0) {
                s++;
                continue;
            }
            int from = s;
            long ok = 0;
            long failed = 0;
            int quiet = 0;
            while (s < limit && quiet < 3) {
                ok += okPerSecond.get(s);
                failed += failedPerSecond.get(s);
                quiet = failedPerSecond.get(s) == 0 ? quiet + 1 : 0;
                s++;
            }
            windows.add(String.format(
                    java.util.Locale.ROOT, "t=%d-%d s: %d answered 2xx, %d not", from, s - 1 - quiet, ok, failed));
        }
        return windows;
    }

    Map<String, Long> classTotals() {
        Map<String, Long> totals = new TreeMap<>();
        counts.values().forEach(byClass -> byClass.forEach((c, n) -> totals.merge(c, n.sum(), Long::sum)));
        return totals;
    }
}
