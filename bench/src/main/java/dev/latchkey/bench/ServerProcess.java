package dev.latchkey.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Latchkey (with the bench additions) in a JVM of its own, started as {@code java -jar latchkey.jar} would be: the JVM
 * options of {@code BENCH_SERVER_JAVA_OPTS} (bench/run: the README's), configured through the environment variables of
 * API.md.
 */
final class ServerProcess implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
    private static final Pattern STARTED = Pattern.compile("Started \\w+ in ([0-9.]+) seconds");

    private final Process process;
    private final Path log;
    private final int port;
    private final double readySeconds;
    private final double cpuSecondsToReady;
    private final Thread stopper;

    private ServerProcess(
            Process process, Path log, int port, double readySeconds, double cpuSecondsToReady, Thread stopper) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.readySeconds = readySeconds;
        this.cpuSecondsToReady = cpuSecondsToReady;
        this.stopper = stopper;
    }

    /** Starts the server and waits until {@code /actuator/health} answers 200 (database and processors up). */
    static ServerProcess start(Path log, int port, Map<String, String> environment) throws Exception {
        return start(log, port, environment, READY_TIMEOUT);
    }

    /** The same, waiting at most {@code readyTimeout} for the health endpoint (the soak's busy restarts). */
    static ServerProcess start(Path log, int port, Map<String, String> environment, Duration readyTimeout)
            throws Exception {
        List<String> arguments = new ArrayList<>(serverOptions());
        arguments.add("-cp");
        arguments.add(System.getProperty("java.class.path"));
        arguments.add("dev.latchkey.bench.server.BenchServer");
        return launch(arguments, log, port, environment, "/actuator/health", readyTimeout);
    }

    /** {@code BENCH_SERVER_JAVA_OPTS}, split (bench/run sets it to the README launch line's options). */
    static List<String> serverOptions() {
        String options =
                System.getenv().getOrDefault("BENCH_SERVER_JAVA_OPTS", "").strip();
        return options.isEmpty() ? List.of() : List.of(options.split("\\s+"));
    }

    /**
     * Starts {@code java} with these arguments (and the environment, the port and loopback address as Spring Boot
     * reads them) and waits until {@code healthPath} answers 200; polled every 25 ms.
     */
    static ServerProcess launch(
            List<String> arguments,
            Path log,
            int port,
            Map<String, String> environment,
            String healthPath,
            Duration readyTimeout)
            throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(arguments);
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        builder.environment().put("SERVER_PORT", Integer.toString(port));
        builder.environment().put("SERVER_ADDRESS", "127.0.0.1");

        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + healthPath))
                .timeout(Duration.ofSeconds(2))
                .build();
        long start = System.nanoTime();
        Process process = builder.start();
        // a process that does not watch its parent (java -jar latchkey.jar) goes when the driver goes
        Thread stopper = new Thread(process::destroy, "bench-stop-" + process.pid());
        Runtime.getRuntime().addShutdownHook(stopper);
        long deadline = start + readyTimeout.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the server exited with " + process.exitValue() + ": " + tail(log));
            }
            try {
                if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    break;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException("the server was not ready after " + readyTimeout + ": " + tail(log));
            }
            Thread.sleep(25);
        }
        double ready = (System.nanoTime() - start) / 1e9;
        return new ServerProcess(process, log, port, ready, cpuSeconds(process.pid()), stopper);
    }

    /** utime + stime of one process from /proc (USER_HZ 100), -1 if it cannot be read. */
    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** CPU the JVM had used when it was first ready (PostgreSQL's processes not included). */
    double cpuSecondsToReady() {
        return cpuSecondsToReady;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** From starting the JVM until the health endpoint answered 200. */
    double readySeconds() {
        return readySeconds;
    }

    /** Spring's own "Started … in N seconds", if it was logged. */
    Double springStartedSeconds() throws IOException {
        Matcher matcher = STARTED.matcher(Files.readString(log));
        return matcher.find() ? Double.valueOf(matcher.group(1)) : null;
    }

    /** The resident set of the server's JVM (the embedded PostgreSQL runs in processes of its own). */
    long rssMegabytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        throw new IllegalStateException("no VmRSS for " + process.pid());
    }

    /** Heap used and committed, from {@code /actuator/prometheus}: what of the RSS the Java heap accounts for. */
    String heap() throws Exception {
        String metrics = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/prometheus"))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        return String.format(
                java.util.Locale.ROOT,
                "Java heap used %d MB, committed %d MB; non-heap committed %d MB",
                sum(metrics, "jvm_memory_used_bytes{", "area=\"heap\"") / 1024 / 1024,
                sum(metrics, "jvm_memory_committed_bytes{", "area=\"heap\"") / 1024 / 1024,
                sum(metrics, "jvm_memory_committed_bytes{", "area=\"nonheap\"") / 1024 / 1024);
    }

    private static long sum(String metrics, String name, String label) {
        double total = 0;
        for (String line : metrics.split("\n")) {
            if (line.startsWith(name) && line.contains(label)) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return (long) total;
    }

    /** SIGKILL, as the OOM killer or a lost machine would: no shutdown hook, no graceful stop. Waits for the exit. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    long pid() {
        return process.pid();
    }

    /** SIGTERM: Spring's graceful shutdown, which also stops the embedded PostgreSQL. */
    @Override
    public void close() throws InterruptedException {
        try {
            Runtime.getRuntime().removeShutdownHook(stopper);
        } catch (IllegalStateException e) {
            // the driver is shutting down: the hook runs anyway
        }
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return "\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
