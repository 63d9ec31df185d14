package dev.latchkey.bench;

import static dev.latchkey.bench.Stats.f;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Benchmark 10 (issue 14): webhook deliveries to a receiver in this JVM that answers each POST after 50 ms. Throughput:
 * a backlog of {@code connection.updated} deliveries (renames of {@link #CONNECTIONS} connections, ten each) is held
 * back by the receiver until all are written, then drained; beside a plain HTTP POST loop with as many senders
 * (Latchkey's default parallelism, 16) to the same receiver. Lag: renames one at a time at random spacing, from the
 * PATCH's start to the delivery's arrival; beside a plain POST's own time to arrive.
 */
final class WebhookRow {

    static final int CONNECTIONS = 100;
    static final int RENAMES_EACH = 10;
    static final int SENDERS = 16;
    static final Duration RECEIVER_LATENCY = Duration.ofMillis(50);
    static final String WORKSPACE = "ws-webhooks";

    private final Stage stage;
    private final ObjectMapper json = new ObjectMapper();

    WebhookRow(Stage stage) {
        this.stage = stage;
    }

    /** The receiver: records when each name arrived, holds requests while {@link #gate} is closed. */
    private static final class Receiver implements AutoCloseable {
        final HttpServer server;
        final ExecutorService threads = Executors.newFixedThreadPool(64);
        final Map<String, Long> arrivedNanos = new ConcurrentHashMap<>();
        final AtomicInteger requests = new AtomicInteger();
        volatile CountDownLatch gate = new CountDownLatch(0);
        volatile CountDownLatch expected = new CountDownLatch(0);
        final ObjectMapper json = new ObjectMapper();

        Receiver() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setExecutor(threads);
            server.createContext("/hooks", this::handle);
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks";
        }

        private void handle(HttpExchange exchange) throws IOException {
            long at = System.nanoTime();
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String name = exchange.getRequestURI().getQuery() != null
                    ? exchange.getRequestURI().getQuery()
                    : json.readTree(body).at("/data/name").asText();
            arrivedNanos.putIfAbsent(name, at);
            requests.incrementAndGet();
            try {
                gate.await(5, TimeUnit.MINUTES);
                Thread.sleep(RECEIVER_LATENCY.toMillis()); // the receiver's own work
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
            expected.countDown();
        }

        @Override
        public void close() {
            server.stop(0);
            threads.shutdownNow();
        }
    }

    void run() throws Exception {
        Stage.progress("10: webhook deliveries to a receiver answering in " + RECEIVER_LATENCY.toMillis() + " ms");
        int connections = stage.plan.quick() ? 20 : CONNECTIONS;
        int lagSamples = stage.plan.quick() ? 20 : 200;
        // the application's time: earlier rows may have moved its clock, and a caller token must be valid then
        Instant now = Instant.parse(
                stage.calls.bench("POST", "/shift", "seconds", 0).path("now").asText());
        String admin = stage.token(Map.of("sub", "bench-admin", "scope", "apps:admin"), now);
        String person = stage.token(
                Map.of(
                        "sub", "user:bench",
                        "wid", WORKSPACE,
                        "uwid", Stage.PERSON,
                        "scope", "connections:read connections:write"),
                now);
        try (Receiver receiver = new Receiver()) {
            JsonNode endpoint = stage.calls.api(
                    "POST",
                    "/v1/applications/" + Stage.APPLICATION + "/webhook-endpoints",
                    admin,
                    Map.of("url", receiver.url(), "eventTypes", List.of("connection.updated")));
            if (!endpoint.path("secret").asText().startsWith("whsec_")) {
                throw new IllegalStateException("no webhook endpoint: " + endpoint);
            }
            stage.seed(WORKSPACE, connections, Duration.ofDays(30));
            List<String> ids = new ArrayList<>();
            stage.calls
                    .api("GET", "/v1/connections?providerName=" + Stage.PROVIDER, person, null)
                    .path("items")
                    .forEach(item -> ids.add(item.path("id").asText()));

            // throughput: the receiver holds every request until the whole backlog is written, then drains it
            int deliveries = ids.size() * RENAMES_EACH;
            receiver.gate = new CountDownLatch(1);
            receiver.expected = new CountDownLatch(deliveries);
            ExecutorService renamers = Executors.newFixedThreadPool(8);
            List<Future<?>> renamed = new ArrayList<>();
            for (String id : ids) {
                renamed.add(renamers.submit(() -> {
                    for (int n = 0; n < RENAMES_EACH; n++) {
                        rename(person, id, "backlog-" + id + "-" + n);
                    }
                    return null;
                }));
            }
            for (Future<?> future : renamed) {
                future.get();
            }
            renamers.shutdown();
            awaitProcessorCaughtUp();
            JsonNode before = stage.meter();
            long released = System.nanoTime();
            receiver.gate.countDown();
            if (!receiver.expected.await(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException("the backlog did not drain");
            }
            double drainSeconds = (System.nanoTime() - released) / 1e9;
            Cost drainCost = Cost.between(before, stage.meter(), deliveries);
            // the SENDERS requests held at the gate were sent before the release: they count, answered after it
            double perSecond = deliveries / drainSeconds;

            double baselinePerSecond = plainPostLoop(receiver, deliveries);

            // lag: one rename at a time, at random spacing (not in step with any timer)
            List<Double> lags = new ArrayList<>();
            receiver.expected = new CountDownLatch(0);
            for (int i = 0; i < lagSamples; i++) {
                String name = "lag-" + i;
                String id = ids.get(i % ids.size());
                long sent = System.nanoTime();
                rename(person, id, name);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!receiver.arrivedNanos.containsKey(name)) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("delivery of " + name + " never arrived");
                    }
                    Thread.sleep(1);
                }
                lags.add((receiver.arrivedNanos.get(name) - sent) / 1e6);
                Thread.sleep(ThreadLocalRandom.current().nextLong(20, 200));
            }
            List<Double> baselineLags = plainPostLags(receiver, lagSamples);
            Collections.sort(lags);
            Collections.sort(baselineLags);
            double ratio = perSecond / baselinePerSecond;
            stage.report.line(
                    "10",
                    f("webhook deliveries/s, a backlog of %,d, receiver answering in %d ms", deliveries,
                            RECEIVER_LATENCY.toMillis()),
                    f("%.0f/s", perSecond),
                    f("plain POST loop, %d senders: %.0f/s", SENDERS, baselinePerSecond),
                    f("%.2f×", ratio),
                    "—",
                    "—",
                    drainCost.perOperation());
            stage.report.line(
                    "10",
                    "lag from a rename (PATCH start) to its delivery's arrival",
                    f("p50 %.1f ms, p99 %.1f ms", percentile(lags, 50), percentile(lags, 99)),
                    f("a plain POST's arrival: p50 %.1f ms, p99 %.1f ms", percentile(baselineLags, 50),
                            percentile(baselineLags, 99)),
                    f("p50 +%.1f ms", percentile(lags, 50) - percentile(baselineLags, 50)),
                    "—",
                    "—",
                    "—");
            stage.report.detail(f(
                    "10 %d connections × %d renames drained in %.2f s; %d lag samples at 20-200 ms random spacing;"
                            + " the lag includes the PATCH itself (its answer waits for the view)",
                    ids.size(), RENAMES_EACH, drainSeconds, lags.size()));
        }
    }

    private void rename(String person, String id, String name) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(stage.server.baseUrl() + "/v1/connections/" + id))
                .header("Authorization", "Bearer " + person)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json.writeValueAsString(Map.of("name", name))))
                .build();
        HttpResponse<String> answer = stage.http.send(request, HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("PATCH answered " + answer.statusCode());
        }
    }

    /** Until the webhook processor has applied every event: its lag on /actuator/prometheus is 0. */
    private void awaitProcessorCaughtUp() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (System.nanoTime() < deadline) {
            HttpResponse<String> metrics = stage.http.send(
                    HttpRequest.newBuilder(URI.create(stage.server.baseUrl() + "/actuator/prometheus"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            for (String line : metrics.body().split("\n")) {
                if (line.startsWith("latchkey_event_processor_lag{")
                        && line.contains("processor=\"webhook-deliveries\"")
                        && Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)) == 0) {
                    return;
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the webhook processor did not catch up");
    }

    /** The same number of POSTs of a delivery-sized body, {@link #SENDERS} at once: per second. */
    private double plainPostLoop(Receiver receiver, int count) throws Exception {
        String body = "{\"type\":\"connection.updated\",\"timestamp\":\"2026-12-08T00:00:00Z\",\"data\":{}}".repeat(5);
        AtomicInteger next = new AtomicInteger();
        receiver.expected = new CountDownLatch(count);
        ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
        long started = System.nanoTime();
        for (int s = 0; s < SENDERS; s++) {
            senders.submit(() -> {
                int n;
                while ((n = next.getAndIncrement()) < count) {
                    stage.http.send(
                            HttpRequest.newBuilder(URI.create(receiver.url() + "?plain-" + n))
                                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding());
                }
                return null;
            });
        }
        receiver.expected.await(10, TimeUnit.MINUTES);
        double seconds = (System.nanoTime() - started) / 1e9;
        senders.shutdown();
        return count / seconds;
    }

    /** A plain POST's time from its start to its arrival at the receiver, one at a time. */
    private List<Double> plainPostLags(Receiver receiver, int samples) throws Exception {
        List<Double> lags = new ArrayList<>();
        for (int i = 0; i < samples; i++) {
            String name = "plain-lag-" + i;
            long sent = System.nanoTime();
            stage.http.send(
                    HttpRequest.newBuilder(URI.create(receiver.url() + "?" + name))
                            .POST(HttpRequest.BodyPublishers.ofString("{}"))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            lags.add((receiver.arrivedNanos.get(name) - sent) / 1e6);
        }
        return lags;
    }

    private static double percentile(List<Double> sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
