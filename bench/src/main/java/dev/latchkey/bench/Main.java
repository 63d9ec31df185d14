package dev.latchkey.bench;

import static dev.latchkey.bench.Stats.f;
import static dev.latchkey.bench.Stats.median;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.app.security.DevTokenCommand;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Runs benchmarks 1 to 6 of issue 7 against one Latchkey server on loopback and prints one table. Started by
 * {@code bench/run} from the root of a checkout; {@code --quick} runs every row briefly (to check the harness, not to
 * publish).
 */
public final class Main {

    /** How long and how much: the full run stays under ten minutes on two shared cores. */
    record Plan(
            boolean quick,
            Duration httpWarmup,
            Duration httpWindow,
            int repetitions,
            int refreshConnections,
            Duration appendWindow,
            long replayEvents,
            int[] historySizes,
            int latencyCommands,
            int restarts) {

        static Plan of(List<String> args) {
            boolean quick = args.contains("--quick");
            long replayEvents = quick ? 20_000 : 200_000;
            int at = args.indexOf("--replay-events");
            if (at >= 0 && at + 1 < args.size()) {
                replayEvents = Long.parseLong(args.get(at + 1));
            }
            return quick
                    ? new Plan(
                            true,
                            Duration.ofSeconds(4),
                            Duration.ofSeconds(2),
                            3,
                            100,
                            Duration.ofMillis(700),
                            replayEvents,
                            new int[] {10, 100, 1_000},
                            2,
                            1)
                    : new Plan(
                            false,
                            Duration.ofSeconds(40),
                            Duration.ofSeconds(10),
                            3,
                            1_000,
                            Duration.ofMillis(2500),
                            replayEvents,
                            new int[] {10, 1_000, 10_000},
                            3,
                            3);
        }
    }

    static final int LIST_ROWS = 20;
    static final int HTTP_CONCURRENCY = 16;
    static final int[] APPEND_CALLERS = {1, 4, 16};
    static final long WARMUP_REPLAY = 20_000;
    static final String APPLICATION = "7f3c2a10-5b4e-4d6f-9a8b-1c2d3e4f5a6b";
    static final String PROVIDER = "bench";
    static final String LIST_WORKSPACE = "ws-list";
    static final String REFRESH_WORKSPACE = "ws-refresh";
    static final String STORE_WORKSPACE = "ws-store";
    static final String PERSON = "uw-bench";

    private final Plan plan;
    private final Path work;
    private final Report report = new Report();
    private final byte[] jwtSecret;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final int port;

    private Main(Plan plan, Path work) throws IOException {
        this.plan = plan;
        this.work = work;
        SecureRandom random = new SecureRandom();
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        this.jwtSecret = Base64.getEncoder().encodeToString(secret).getBytes(StandardCharsets.UTF_8);
        byte[] masterKey = new byte[32];
        random.nextBytes(masterKey);
        this.port = freePort();
        Path dataDir = work.resolve("data");
        environment.put("LATCHKEY_DATA_DIR", dataDir.toString());
        environment.put("LATCHKEY_JWT_SECRET", new String(jwtSecret, StandardCharsets.UTF_8));
        environment.put("LATCHKEY_MASTER_KEYS", "bench:" + Base64.getEncoder().encodeToString(masterKey));
        environment.put("LATCHKEY_ALLOW_INSECURE_LOOPBACK", "true");
        // the benchmark calls the scheduler's refreshDue() itself, at known moments
        environment.put("LATCHKEY_SCHEDULED_REFRESH_INTERVAL", "0s");
        environment.put("LATCHKEY_PUBLIC_URL", "http://127.0.0.1:" + port);
    }

    public static void main(String[] args) throws Exception {
        Plan plan = Plan.of(List.of(args));
        Path work = Path.of("bench", "target").toAbsolutePath();
        Files.createDirectories(work);
        deleteRecursively(work.resolve("data"));
        Main main = new Main(plan, work);
        long start = System.nanoTime();
        try {
            main.run();
        } finally {
            main.report.detail(f("whole run: %.0f s", (System.nanoTime() - start) / 1e9));
            String table = main.report.markdown();
            main.report.write(work.resolve("results.md"));
            System.out.println();
            System.out.println(table);
            System.out.println("(also written to " + work.resolve("results.md") + ")");
        }
    }

    private void run() throws Exception {
        describeMachine();
        try (StubProvider provider = StubProvider.start(Duration.ofMillis(100))) {
            progress(
                    externalDatabase()
                            ? "starting Latchkey (external PostgreSQL)"
                            : "starting Latchkey (embedded PostgreSQL, fresh data directory)");
            double coldStart;
            long rss = -1;
            try (ServerProcess server = ServerProcess.start(work.resolve("server-1.log"), port, environment)) {
                coldStart = server.readySeconds();
                report.detail(f(
                        "6 first start (the embedded default creates its PostgreSQL cluster): ready after %.2f s;"
                                + " Spring logged %s s",
                        coldStart, server.springStartedSeconds()));
                Calls calls = new Calls(server.baseUrl());
                JsonNode store = calls.bench("GET", "/store");
                if (store.path("events").asLong() > 0) {
                    throw new IllegalStateException("the database already holds " + store.path("events")
                            + " events: the benchmarks need an empty one");
                }
                report.machine("PostgreSQL " + store.path("postgres").asText()
                        + (externalDatabase() ? " (external, SPRING_DATASOURCE_URL)" : " (embedded)"));
                install(calls, provider);

                guard("1", () -> listBenchmark(server, calls));
                try {
                    rss = server.rssMegabytes();
                    report.detail("6 after benchmark 1: RSS " + rss + " MB; " + server.heap());
                } catch (Exception e) {
                    report.detail("6 RSS could not be read: " + e.getMessage());
                }
                guard("2", () -> refreshBenchmark(calls, provider));
                guard("3", () -> appendBenchmark(calls));
                guard("5", () -> latencyBenchmark(calls));
                guard("4", () -> replayBenchmark(calls));
                JsonNode end = calls.bench("GET", "/store");
                report.detail(f(
                        "event store at the end: %d events, %d snapshots",
                        end.path("events").asLong(), end.path("snapshots").asLong()));
            }
            restartBenchmark(coldStart, rss);
        }
        report.machine(f("load average at the end %s", loadAverage()));
    }

    /** A row that fails is reported as not measured, with why, and the run goes on. */
    private interface Row {
        void run() throws Exception;
    }

    private void guard(String number, Row row) {
        try {
            row.run();
        } catch (Exception e) {
            report.notMeasured(number, "benchmark " + number, "", e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    // --- 1: GET /v1/connections against a plain JdbcTemplate endpoint --------------------------------------------

    private void listBenchmark(ServerProcess server, Calls calls) throws Exception {
        progress("1: seeding " + LIST_ROWS + " connections, then GET /v1/connections against its baseline");
        calls.bench(
                "POST",
                "/connections",
                "workspace",
                LIST_WORKSPACE,
                "person",
                PERSON,
                "application",
                APPLICATION,
                "provider",
                PROVIDER,
                "count",
                LIST_ROWS,
                "expiresInSeconds",
                Duration.ofDays(30).toSeconds());
        // a logic function of the app on a cron trigger: it sees the workspace's connections, with access tokens
        String function = token(Map.of(
                "sub", "fn:bench",
                "wid", LIST_WORKSPACE,
                "app", APPLICATION,
                "trigger", "cron",
                "scope", "connections:credentials"));
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        HttpRequest latchkey = get(server.baseUrl() + "/v1/connections?providerName=" + PROVIDER, function);
        HttpRequest baseline = get(server.baseUrl() + "/v1/bench/connections?providerName=" + PROVIDER, function);
        checkRows(http, latchkey, true);
        checkRows(http, baseline, false);

        Duration warmupSlice = plan.httpWarmup().dividedBy(4);
        for (int i = 0; i < 4; i++) {
            HttpLoad.run(http, i % 2 == 0 ? latchkey : baseline, HTTP_CONCURRENCY, warmupSlice);
        }
        List<Double> rate = new ArrayList<>();
        List<Double> p99 = new ArrayList<>();
        List<Double> baseRate = new ArrayList<>();
        List<Double> baseP99 = new ArrayList<>();
        for (int rep = 0; rep < plan.repetitions(); rep++) {
            // alternate which goes first, so a drift in the machine's load does not always favour the same one
            for (boolean first : rep % 2 == 0 ? new boolean[] {true, false} : new boolean[] {false, true}) {
                HttpLoad.Window window =
                        HttpLoad.run(http, first ? latchkey : baseline, HTTP_CONCURRENCY, plan.httpWindow());
                if (window.errors() > 0) {
                    throw new IllegalStateException(window.errors() + " requests failed");
                }
                (first ? rate : baseRate).add(window.perSecond());
                (first ? p99 : baseP99).add(window.p99Millis());
            }
        }
        double ratio = median(rate) / median(baseRate);
        report.line(
                "1",
                "`GET /v1/connections`, 20 rows with fresh tokens, JWT checked, 16 connections",
                f("%.0f req/s, p99 %.1f ms", median(rate), median(p99)),
                f("%.0f req/s, p99 %.1f ms", median(baseRate), median(baseP99)),
                f("%.2f×", ratio),
                "≥ 0.7×, p99 ≤ 10 ms",
                f(
                        "%s (ratio %s, p99 %s)",
                        Report.met(ratio >= 0.7 && median(p99) <= 10),
                        Report.met(ratio >= 0.7),
                        Report.met(median(p99) <= 10)));
        report.detail(f(
                "1 Latchkey req/s %s; p99 ms %s | baseline req/s %s; p99 ms %s (windows of %d s after %d s warm-up)",
                Stats.list(rate, "%.0f"),
                Stats.list(p99, "%.1f"),
                Stats.list(baseRate, "%.0f"),
                Stats.list(baseP99, "%.1f"),
                plan.httpWindow().toSeconds(),
                plan.httpWarmup().toSeconds()));
    }

    private static HttpRequest get(String url, String token) {
        return HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json")
                .timeout(Duration.ofSeconds(30))
                .GET()
                .build();
    }

    private static void checkRows(HttpClient http, HttpRequest request, boolean withTokens) throws Exception {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        JsonNode items = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(response.body())
                .path("items");
        if (response.statusCode() != 200 || items.size() != LIST_ROWS) {
            throw new IllegalStateException(request.uri().getPath() + " answered " + response.statusCode() + " with "
                    + items.size() + " rows instead of " + LIST_ROWS);
        }
        if (withTokens && items.get(0).path("accessToken").asText().isEmpty()) {
            throw new IllegalStateException("the rows carry no access token");
        }
    }

    // --- 2: refreshes per second ------------------------------------------------------------------------------------

    private void refreshBenchmark(Calls calls, StubProvider provider) throws Exception {
        int count = plan.refreshConnections();
        int warmup = count / 10;
        progress("2: refreshing " + warmup + " connections to warm up, then " + count + " at once, "
                + plan.repetitions() + " times");
        double seeding = seedForRefresh(calls, warmup);
        // two hours on: every token handed out an hour ago is expired, so all of them are due at once
        long twoHours = Duration.ofHours(2).toSeconds();
        JsonNode warm = calls.bench("POST", "/refresh", "shiftSeconds", twoHours);
        if (warm.path("exchanges").asLong() != warmup) {
            throw new IllegalStateException("the warm-up refreshed " + warm.path("exchanges") + " of " + warmup);
        }
        seeding += seedForRefresh(calls, count - warmup);
        report.detail(f(
                "2 seeding %d connections by commands (3 commands each, 8 threads) took %.1f s; warm-up: %d"
                        + " refreshes at %.1f/s",
                count, seeding, warmup, warm.path("perSecond").asDouble()));
        List<Double> rates = new ArrayList<>();
        long exchanges = 0;
        long holding = 0;
        int activeMax = 0;
        int awaitingMax = 0;
        List<Double> waitingMedians = new ArrayList<>();
        List<Double> activeMedians = new ArrayList<>();
        int poolSize = 0;
        for (int rep = 0; rep < plan.repetitions(); rep++) {
            JsonNode run = calls.bench("POST", "/refresh", "shiftSeconds", twoHours);
            if (run.path("exchanges").asLong() != count || run.path("dueAfter").asInt() != 0) {
                throw new IllegalStateException(
                        "the run refreshed " + run.path("exchanges").asLong() + " of " + count + " and left "
                                + run.path("dueAfter").asInt() + " due: " + run);
            }
            rates.add(run.path("perSecond").asDouble());
            exchanges += run.path("exchanges").asLong();
            holding += run.path("exchangesEnteredHoldingDatabase").asLong();
            activeMax = Math.max(activeMax, run.path("activeWhileWaitingMax").asInt());
            awaitingMax = Math.max(
                    awaitingMax, run.path("threadsAwaitingConnectionMax").asInt());
            waitingMedians.add(run.path("waitingMedian").asDouble());
            activeMedians.add(run.path("activeWhileWaitingMedian").asDouble());
            poolSize = run.path("poolSize").asInt();
            report.detail("2 run: " + run);
        }
        double rate = median(rates);
        boolean noneHeld = holding == 0;
        report.line(
                "2",
                f("refreshes/s, %,d connections due at once, provider answering in 100 ms", count),
                f(
                        "%.0f refreshes/s; %d of %,d exchanges entered holding a transaction, connection or unit of"
                            + " work; while waiting: median %.0f exchanges in flight, Hikari active median %.0f, max"
                            + " %d of %d, up to %d threads queued for a connection",
                        rate,
                        holding,
                        exchanges,
                        median(waitingMedians),
                        median(activeMedians),
                        activeMax,
                        poolSize,
                        awaitingMax),
                "—",
                "—",
                "≥ 150/s, no DB connection held while waiting",
                f(
                        "%s (rate %s, no connection held %s)",
                        Report.met(rate >= 150 && noneHeld), Report.met(rate >= 150), Report.met(noneHeld)));
        report.detail(f(
                "2 refreshes/s %s; the stub answered %d token requests in all, at most %d at once",
                Stats.list(rates, "%.1f"), provider.answered(), provider.mostAtOnce()));
    }

    /** @return how long it took */
    private static double seedForRefresh(Calls calls, int count) throws Exception {
        return calls.bench(
                        "POST",
                        "/connections",
                        "workspace",
                        REFRESH_WORKSPACE,
                        "person",
                        PERSON,
                        "application",
                        APPLICATION,
                        "provider",
                        PROVIDER,
                        "count",
                        count,
                        "expiresInSeconds",
                        3600)
                .path("seconds")
                .asDouble();
    }

    // --- 3: event append --------------------------------------------------------------------------------------------

    private void appendBenchmark(Calls calls) throws Exception {
        progress("3: event append by commands against plain JDBC inserts, 1/4/16 callers");
        calls.bench("POST", "/append/prepare");
        for (String kind : new String[] {"AXON_CREATE", "JDBC_CREATE", "AXON_UPDATE", "JDBC_UPDATE"}) {
            append(calls, kind, 4, plan.appendWindow());
        }
        Map<String, List<Double>> rates = new LinkedHashMap<>();
        for (int rep = 0; rep < plan.repetitions(); rep++) {
            for (int callers : APPEND_CALLERS) {
                for (String kind : new String[] {"AXON_CREATE", "JDBC_CREATE", "AXON_UPDATE", "JDBC_UPDATE"}) {
                    double rate = append(calls, kind, callers, plan.appendWindow());
                    rates.computeIfAbsent(kind + "/" + callers, k -> new ArrayList<>())
                            .add(rate);
                }
            }
        }
        for (String operation : new String[] {"CREATE", "UPDATE"}) {
            double target = operation.equals("CREATE") ? 0.6 : 0.5;
            for (int callers : APPEND_CALLERS) {
                List<Double> axon = rates.get("AXON_" + operation + "/" + callers);
                List<Double> jdbc = rates.get("JDBC_" + operation + "/" + callers);
                double ratio = median(axon) / median(jdbc);
                report.line(
                        "3",
                        f(
                                "event append, %s command, %d caller%s",
                                operation.toLowerCase(), callers, callers == 1 ? "" : "s"),
                        f("%.0f events/s", median(axon)),
                        f("%.0f rows/s (JDBC insert, one per transaction)", median(jdbc)),
                        f("%.2f×", ratio),
                        f("≥ %.1f×", target),
                        Report.met(ratio >= target));
                report.detail(f(
                        "3 %s %d callers: commands/s %s | JDBC rows/s %s",
                        operation.toLowerCase(), callers, Stats.list(axon, "%.0f"), Stats.list(jdbc, "%.0f")));
            }
        }
    }

    private double append(Calls calls, String kind, int callers, Duration window) throws Exception {
        calls.bench("POST", "/caught-up"); // each run starts with the projections idle
        JsonNode result = calls.bench(
                "POST",
                "/append",
                "kind",
                kind,
                "callers",
                callers,
                "millis",
                window.toMillis(),
                "workspace",
                STORE_WORKSPACE,
                "person",
                PERSON,
                "application",
                APPLICATION,
                "provider",
                PROVIDER);
        if (result.path("failed").asLong() > 0) {
            throw new IllegalStateException(
                    kind + " failed " + result.path("failed").asLong() + " times");
        }
        return result.path("perSecond").asDouble();
    }

    // --- 5: command latency against history length ----------------------------------------------------------------

    private void latencyBenchmark(Calls calls) throws Exception {
        progress("5: command latency on connections with " + java.util.Arrays.toString(plan.historySizes())
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
                                    STORE_WORKSPACE,
                                    "person",
                                    PERSON,
                                    "application",
                                    APPLICATION,
                                    "provider",
                                    PROVIDER)
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
                    STORE_WORKSPACE,
                    "person",
                    PERSON,
                    "awaitSnapshot",
                    connection.getKey() >= 100);
            report.detail(f(
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
        for (int rep = 0; rep < plan.repetitions(); rep++) {
            for (Map.Entry<Integer, String> connection : connections.entrySet()) {
                JsonNode timed = latencies(calls, connection.getValue(), plan.latencyCommands());
                medians.computeIfAbsent(connection.getKey(), k -> new ArrayList<>())
                        .add(median(numbers(timed.path("millis"))));
                cpuMedians
                        .computeIfAbsent(connection.getKey(), k -> new ArrayList<>())
                        .add(median(numbers(timed.path("cpuMillis"))));
            }
        }
        long snapshots = calls.bench("GET", "/store").path("snapshots").asLong();
        int smallest = plan.historySizes()[0];
        double base = median(medians.get(smallest));
        for (Map.Entry<Integer, List<Double>> size : medians.entrySet()) {
            double latency = median(size.getValue());
            double ratio = latency / base;
            report.line(
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
                                            snapshots, snapshotterCpu)));
            report.detail(f(
                    "5 %d events: per-repetition medians of %d commands, ms: %s; CPU ms of the command's thread: %s",
                    size.getKey(),
                    plan.latencyCommands(),
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
                        STORE_WORKSPACE,
                        "person",
                        PERSON)
                .path("millis"));
        report.detail(f(
                "5 after a command returns, the connection view applied its event %.0f ms later (median of 10, one"
                        + " command at a time): the wait of every read-your-writes call",
                median(lag)));
        int largest = plan.historySizes()[plan.historySizes().length - 1];
        report.detail(f(
                "5 each prior event adds %.0f µs of latency and %.0f µs of CPU (from %d to %d events)",
                (median(medians.get(largest)) - base) * 1000 / (largest - smallest),
                (median(cpuMedians.get(largest)) - median(cpuMedians.get(smallest))) * 1000 / (largest - smallest),
                smallest,
                largest));
    }

    private static JsonNode latencies(Calls calls, String connection, int commands) throws Exception {
        return calls.bench(
                "POST",
                "/latency",
                "connectionId",
                connection,
                "commands",
                commands,
                "workspace",
                STORE_WORKSPACE,
                "person",
                PERSON);
    }

    private static List<Double> numbers(JsonNode array) {
        List<Double> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asDouble()));
        return values;
    }

    // --- 4: replay --------------------------------------------------------------------------------------------------

    private void replayBenchmark(Calls calls) throws Exception {
        progress("4: a warm-up replay, then filling the event store to " + plan.replayEvents()
                + " events and rebuilding the connection view from them");
        JsonNode warm = calls.bench("POST", "/replay", "last", WARMUP_REPLAY);
        calls.bench("POST", "/read");
        report.detail(f(
                "4 warm-up: a replay of the last %d events the other benchmarks appended, at %.0f events/s",
                warm.path("events").asLong(), warm.path("perSecond").asDouble()));
        JsonNode fill = calls.bench(
                "POST",
                "/fill",
                "total",
                plan.replayEvents(),
                "workspace",
                STORE_WORKSPACE,
                "person",
                PERSON,
                "application",
                APPLICATION,
                "provider",
                PROVIDER);
        report.detail(f(
                "4 wrote %d events straight into the store in %.1f s (%d in all), the view's processor stopped",
                fill.path("added").asLong(),
                fill.path("seconds").asDouble(),
                fill.path("events").asLong()));
        List<Double> replay = new ArrayList<>();
        List<Double> read = new ArrayList<>();
        long events = 0;
        for (int rep = 0; rep < plan.repetitions(); rep++) {
            JsonNode rebuilt = calls.bench("POST", "/replay");
            if (!rebuilt.path("completed").asBoolean()) {
                throw new IllegalStateException("the replay did not finish: " + rebuilt);
            }
            JsonNode baseline = calls.bench("POST", "/read");
            events = rebuilt.path("events").asLong();
            replay.add(rebuilt.path("perSecond").asDouble());
            read.add(baseline.path("perSecond").asDouble());
            report.detail("4 replay " + rebuilt + " | read " + baseline);
        }
        double ratio = median(replay) / median(read);
        report.line(
                "4",
                f("rebuild the connection view by replay, %,d events", events),
                f("%,.0f events/s (%.1f s)", median(replay), events / median(replay)),
                f("%,.0f events/s (JDBC sequential read + JSON parsing)", median(read)),
                f("%.3f×", ratio),
                "≥ 0.2×",
                Report.met(ratio >= 0.2));
    }

    // --- 6: start to ready, RSS -------------------------------------------------------------------------------------

    private void restartBenchmark(double coldStart, long rss) throws Exception {
        progress("6: restarting Latchkey " + plan.restarts() + " times on its data directory");
        List<Double> ready = new ArrayList<>();
        for (int i = 0; i < plan.restarts(); i++) {
            try (ServerProcess server =
                    ServerProcess.start(work.resolve("server-restart-" + (i + 1) + ".log"), port, environment)) {
                ready.add(server.readySeconds());
                report.detail(f(
                        "6 restart %d: ready after %.2f s; Spring logged %s s",
                        i + 1, server.readySeconds(), server.springStartedSeconds()));
            }
        }
        double warm = median(ready);
        report.line(
                "6",
                "start to ready (`/actuator/health` 200), " + (externalDatabase() ? "external" : "embedded")
                        + " PostgreSQL",
                f("%.1f s (restart, median of %d); first start %.1f s", warm, ready.size(), coldStart),
                "—",
                "—",
                "≤ 8 s",
                f("%s (first start %s)", Report.met(warm <= 8), Report.met(coldStart <= 8)));
        report.line(
                "6",
                "RSS of the server JVM after benchmark 1",
                rss < 0 ? "not measured" : rss + " MB",
                "—",
                "—",
                "≤ 512 MB",
                rss < 0 ? "?" : Report.met(rss <= 512));
    }

    // --- set-up -----------------------------------------------------------------------------------------------------

    /** The app the benchmarks use: one provider whose token endpoint is the stub, its client id and secret set. */
    private void install(Calls calls, StubProvider provider) throws Exception {
        String admin = token(Map.of("sub", "bench-admin", "scope", "apps:admin"));
        Map<String, Object> oauth = new LinkedHashMap<>();
        oauth.put("authorizationEndpoint", provider.url() + "/authorize");
        oauth.put("tokenEndpoint", provider.url() + "/token");
        oauth.put("scopes", List.of("read", "write"));
        oauth.put("clientIdVariable", "BENCH_CLIENT_ID");
        oauth.put("clientSecretVariable", "BENCH_CLIENT_SECRET");
        oauth.put("tokenRequestContentType", "form-urlencoded");
        oauth.put("clientAuthentication", "client_secret_post");
        oauth.put("usePkce", false);
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("universalIdentifier", APPLICATION);
        manifest.put("displayName", "Bench");
        manifest.put("description", "The benchmarks' application.");
        manifest.put(
                "serverVariables",
                Map.of(
                        "BENCH_CLIENT_ID", Map.of("description", "client id", "isSecret", false, "isRequired", true),
                        "BENCH_CLIENT_SECRET",
                                Map.of("description", "client secret", "isSecret", true, "isRequired", true)));
        manifest.put(
                "connectionProviders",
                List.of(Map.of(
                        "universalIdentifier",
                        UUID.randomUUID().toString(),
                        "name",
                        PROVIDER,
                        "displayName",
                        "Bench",
                        "type",
                        "oauth",
                        "oauth",
                        oauth)));
        calls.api("PUT", "/v1/applications/" + APPLICATION, admin, manifest);
        calls.api(
                "PUT",
                "/v1/applications/" + APPLICATION + "/server-variables/BENCH_CLIENT_ID",
                admin,
                Map.of("value", "bench-client"));
        calls.api(
                "PUT",
                "/v1/applications/" + APPLICATION + "/server-variables/BENCH_CLIENT_SECRET",
                admin,
                Map.of("value", "bench-secret"));
        JsonNode application = calls.api("GET", "/v1/applications/" + APPLICATION, admin, null);
        if (!application.toString().contains("\"ready\"")) {
            throw new IllegalStateException("the bench provider is not ready: " + application);
        }
    }

    private String token(Map<String, String> claims) {
        Map<String, String> options = new LinkedHashMap<>(claims);
        options.put("ttl", "PT3H");
        return DevTokenCommand.mint(options, jwtSecret, Instant.now());
    }

    private void describeMachine() throws IOException {
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                .filter(line -> line.startsWith("model name"))
                .map(line -> line.substring(line.indexOf(':') + 1).strip())
                .findFirst()
                .orElse("unknown CPU");
        String memory = Files.readAllLines(Path.of("/proc/meminfo")).stream()
                .filter(line -> line.startsWith("MemTotal"))
                .map(line -> Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024 / 1024 + " GiB")
                .findFirst()
                .orElse("? GiB");
        report.machine(f(
                "%d cores (%s), %s RAM, Java %s, %s",
                Runtime.getRuntime().availableProcessors(),
                cpu,
                memory,
                System.getProperty("java.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.version")));
        report.machine("load average at the start " + loadAverage());
        report.machine(plan.quick() ? "QUICK RUN (harness check, not for publishing)" : "full run");
    }

    private static boolean externalDatabase() {
        String url = System.getenv("SPRING_DATASOURCE_URL");
        return url != null && !url.isBlank();
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "?";
        }
    }

    private static void progress(String message) {
        System.err.println(f("[%tT] %s", java.time.LocalTime.now(), message));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
