package dev.latchkey.bench;

import static dev.latchkey.bench.Stats.f;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Runs benchmarks 1 to 8 (issues 7 and 12) against one Latchkey server on loopback and prints one table. Started by
 * {@code bench/run} from the root of a checkout; {@code --quick} runs every row briefly (to check the harness, not to
 * publish). Each row is a class of its own; this one sets the stage, runs them in order and prints the report.
 */
public final class Main {

    /** A row that fails is reported as not measured, with why, and the run goes on. */
    private interface Row {
        void run() throws Exception;
    }

    private final Stage stage;
    /** {@code --rows 1,6}: only these rows (the others are left out of the table); empty: every row. */
    private final Set<String> rows;

    private Main(Stage stage, Set<String> rows) {
        this.stage = stage;
        this.rows = rows;
    }

    static Set<String> rows(List<String> args) {
        int at = args.indexOf("--rows");
        return at >= 0 && at + 1 < args.size() ? Set.of(args.get(at + 1).split(",")) : Set.of();
    }

    public static void main(String[] args) throws Exception {
        Plan plan = Plan.of(List.of(args));
        Path work = Path.of("bench", "target").toAbsolutePath();
        Files.createDirectories(work);
        for (String directory : List.of("data", "node-2-data", "minimal-data")) {
            deleteRecursively(work.resolve(directory));
        }
        Main main = new Main(new Stage(plan, work), rows(List.of(args)));
        Report report = main.stage.report;
        long start = System.nanoTime();
        try {
            main.run();
        } finally {
            report.detail(f("whole run: %.0f s", (System.nanoTime() - start) / 1e9));
            String table = report.markdown();
            report.write(work.resolve("results.md"));
            System.out.println();
            System.out.println(table);
            System.out.println("(also written to " + work.resolve("results.md") + ")");
        }
    }

    private void run() throws Exception {
        Report report = stage.report;
        describeMachine();
        try (StubProvider provider = StubProvider.start(Duration.ofMillis(100))) {
            stage.provider = provider;
            Stage.progress(
                    Stage.externalDatabase()
                            ? "starting Latchkey (external PostgreSQL)"
                            : "starting Latchkey (embedded PostgreSQL, fresh data directory)");
            double firstStart;
            long rss = -1;
            try (ServerProcess server =
                    ServerProcess.start(stage.work.resolve("server-1.log"), stage.port, stage.benchEnvironment())) {
                stage.server = server;
                stage.calls = new Calls(server.baseUrl());
                firstStart = server.readySeconds();
                report.detail(f(
                        "6 first start of the bench server (the embedded default creates its PostgreSQL cluster):"
                                + " ready after %.2f s; Spring logged %s s",
                        firstStart, server.springStartedSeconds()));
                JsonNode store = stage.calls.bench("GET", "/store");
                if (store.path("events").asLong() > 0) {
                    throw new IllegalStateException("the database already holds " + store.path("events")
                            + " events: the benchmarks need an empty one");
                }
                report.machine("PostgreSQL " + store.path("postgres").asText()
                        + (Stage.externalDatabase() ? " (external, SPRING_DATASOURCE_URL)" : " (embedded)"));
                stage.install();

                guard("1", () -> new ListRow(stage).run());
                rss("after benchmark 1", server);
                guard("7", () -> new WriteRow(stage).run());
                guard("2", () -> new RefreshRow(stage).run());
                guard("2b", () -> new RefreshOnReadRow(stage).run());
                guard("3", () -> new AppendRow(stage).run());
                guard("5", () -> new CommandLatencyRow(stage).run());
                guard("8", () -> new ViewLagRow(stage).run());
                guard("9", () -> new ScheduleRow(stage).run());
                guard("10", () -> new WebhookRow(stage).run());
                guard("4", () -> new ReplayRow(stage).run());
                rss = rss("after all rows", server);
                JsonNode end = stage.calls.bench("GET", "/store");
                report.detail(f(
                        "event store at the end: %d events, %d snapshots",
                        end.path("events").asLong(), end.path("snapshots").asLong()));
            }
            long rssAfterAll = rss;
            guard("6", () -> new StartupRow(stage, firstStart, rssAfterAll).run());
        }
        report.machine(f("load average at the end %s", Stage.loadAverage()));
    }

    private long rss(String when, ServerProcess server) {
        try {
            long rss = server.rssMegabytes();
            stage.report.detail("6 " + when + ": RSS " + rss + " MB; " + server.heap());
            return rss;
        } catch (Exception e) {
            stage.report.detail("6 RSS " + when + " could not be read: " + e.getMessage());
            return -1;
        }
    }

    private void guard(String number, Row row) {
        if (!rows.isEmpty() && !rows.contains(number)) {
            return;
        }
        try {
            row.run();
        } catch (Exception e) {
            stage.report.notMeasured(
                    number, "benchmark " + number, "", e.getClass().getSimpleName() + ": " + e.getMessage());
        }
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
        stage.report.machine(f(
                "%d cores (%s), %s RAM, Java %s, %s",
                Runtime.getRuntime().availableProcessors(),
                cpu,
                memory,
                System.getProperty("java.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.version")));
        stage.report.machine("load average at the start " + Stage.loadAverage());
        stage.report.machine(stage.plan.quick() ? "QUICK RUN (harness check, not for publishing)" : "full run");
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
