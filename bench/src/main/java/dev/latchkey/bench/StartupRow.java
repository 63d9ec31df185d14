package dev.latchkey.bench;

import static dev.latchkey.bench.Stats.f;
import static dev.latchkey.bench.Stats.median;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Benchmark 6: start to ready of {@code java -jar app/target/latchkey.jar} as the README launches it (on the data
 * directory the other rows filled), against a minimal Spring Boot web + JDBC application
 * ({@link dev.latchkey.bench.minimal.MinimalApp}) started on the same embedded PostgreSQL binaries, in turns; and the
 * RSS of the bench server's JVM after all rows.
 */
final class StartupRow {

    static final Duration READY_TIMEOUT = Duration.ofSeconds(180);

    private final Stage stage;
    private final double firstStart;
    private final long rssAfterAll;

    /**
     * @param firstStart the bench server's first start, on a fresh data directory
     * @param rssAfterAll its RSS in MB after every other row, or -1
     */
    StartupRow(Stage stage, double firstStart, long rssAfterAll) {
        this.stage = stage;
        this.firstStart = firstStart;
        this.rssAfterAll = rssAfterAll;
    }

    void run() throws Exception {
        Plan plan = stage.plan;
        Stage.progress("6: starting `java -jar app/target/latchkey.jar` " + plan.restarts()
                + " times on its data directory, in turns with a minimal Spring Boot web + JDBC app");
        Path jar = Path.of("app", "target", "latchkey.jar").toAbsolutePath();
        List<String> latchkey = new ArrayList<>(ServerProcess.serverOptions());
        latchkey.add("-jar");
        latchkey.add(jar.toString());
        Path minimalData = stage.work.resolve("minimal-data");
        int minimalPort = Stage.freePort();
        List<String> minimal = new ArrayList<>(ServerProcess.serverOptions());
        minimal.add("-cp");
        minimal.add(libraries());
        minimal.add("dev.latchkey.bench.minimal.MinimalApp");
        minimal.add(minimalData.toString());
        minimal.add(Integer.toString(minimalPort));

        try (ServerProcess cold = ServerProcess.launch(
                minimal,
                stage.work.resolve("minimal-first.log"),
                minimalPort,
                java.util.Map.of(),
                "/health",
                READY_TIMEOUT)) {
            stage.report.detail(f(
                    "6 minimal app, first start (creating its PostgreSQL cluster): ready after %.2f s",
                    cold.readySeconds()));
        }
        List<Double> ready = new ArrayList<>();
        List<Double> minimalReady = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        List<Double> minimalCpu = new ArrayList<>();
        for (int i = 0; i < plan.restarts(); i++) {
            try (ServerProcess server = ServerProcess.launch(
                    latchkey,
                    stage.work.resolve("server-restart-" + (i + 1) + ".log"),
                    stage.port,
                    stage.environment,
                    "/actuator/health",
                    READY_TIMEOUT)) {
                ready.add(server.readySeconds());
                cpu.add(server.cpuSecondsToReady());
                stage.report.detail(f(
                        "6 java -jar latchkey.jar, restart %d: ready after %.2f s (%.1f s of the JVM's CPU); Spring"
                                + " logged %s s",
                        i + 1, server.readySeconds(), server.cpuSecondsToReady(), server.springStartedSeconds()));
            }
            try (ServerProcess server = ServerProcess.launch(
                    minimal,
                    stage.work.resolve("minimal-restart-" + (i + 1) + ".log"),
                    minimalPort,
                    java.util.Map.of(),
                    "/health",
                    READY_TIMEOUT)) {
                minimalReady.add(server.readySeconds());
                minimalCpu.add(server.cpuSecondsToReady());
                stage.report.detail(f(
                        "6 minimal app, restart %d: ready after %.2f s (%.1f s of the JVM's CPU); Spring logged %s s",
                        i + 1, server.readySeconds(), server.cpuSecondsToReady(), server.springStartedSeconds()));
            }
        }
        double warm = median(ready);
        double base = median(minimalReady);
        double ratio = warm / base;
        stage.report.line(
                "6",
                "start to ready (first 200 of the health URL), `java -jar app/target/latchkey.jar` on its filled data"
                        + " directory, " + (Stage.externalDatabase() ? "external" : "embedded") + " PostgreSQL",
                f(
                        "%.1f s (median of %d); first start of the bench server on a fresh directory %.1f s",
                        warm, ready.size(), firstStart),
                f("%.1f s: minimal Spring Boot web + JDBC app, same embedded PostgreSQL binaries", base),
                f("%.2f×", ratio),
                "≤ 2× (aim ≤ 6 s)",
                f("%s (≤ 6 s %s)", Report.met(ratio <= 2), Report.met(warm <= 6)),
                f("JVM CPU to ready: %.1f s; minimal app %.1f s", median(cpu), median(minimalCpu)));
        stage.report.line(
                "6",
                "RSS of the server JVM after all rows (the bench server, launched with the README's JVM options)",
                rssAfterAll < 0 ? "not measured" : rssAfterAll + " MB",
                "—",
                "—",
                "≤ 384 MB",
                rssAfterAll < 0 ? "?" : Report.met(rssAfterAll <= 384));
    }

    /** The Latchkey jar's libraries and the bench's classes: not the application itself, not the peer's libraries. */
    private static String libraries() {
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.endsWith("latchkey.jar") && !entry.contains("peer-lib")) {
                entries.add(entry);
            }
        }
        return String.join(File.pathSeparator, entries);
    }
}
