package dev.latchkey.app.journey;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP receiver of webhooks on loopback: records every request and verifies its signature with the Standard
 * Webhooks library, answering what the test planned (200 unless told otherwise), one plan per request in order.
 */
final class WebhookReceiver implements AutoCloseable {

    /** One request as it arrived. {@code verified}: its signature verified with the secret given, at arrival. */
    record Received(String webhookId, String timestamp, String signature, String body, boolean verified) {

        Map<String, List<String>> headers() {
            return Map.of(
                    "webhook-id", List.of(webhookId),
                    "webhook-timestamp", List.of(timestamp),
                    "webhook-signature", List.of(signature));
        }
    }

    /** An answer: a status and headers, given after {@code hold} is released (or at once when null). */
    record Plan(int status, Map<String, String> headers, CountDownLatch hold) {}

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(16);
    private final List<Received> received = new ArrayList<>();
    private final ConcurrentLinkedDeque<Plan> plans = new ConcurrentLinkedDeque<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile String secret;

    private WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(threads);
        server.createContext("/hooks", this::handle);
        server.start();
    }

    static WebhookReceiver start() {
        try {
            return new WebhookReceiver();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks";
    }

    /** The secret arriving requests are verified with. */
    WebhookReceiver verifyingWith(String secret) {
        this.secret = secret;
        return this;
    }

    WebhookReceiver answerNext(int status, String... headerPairs) {
        Map<String, String> headers = new java.util.HashMap<>();
        for (int i = 0; i < headerPairs.length; i += 2) {
            headers.put(headerPairs[i], headerPairs[i + 1]);
        }
        plans.add(new Plan(status, headers, null));
        return this;
    }

    /** The next request waits for {@code release} (or the receiver's close), then gets {@code status}. */
    WebhookReceiver holdNext(CountDownLatch release, int status) {
        plans.add(new Plan(status, Map.of(), release));
        return this;
    }

    synchronized List<Received> received() {
        return List.copyOf(received);
    }

    static boolean verifies(Received request, String secret) {
        return verifies(request.body(), request.headers(), secret);
    }

    static boolean verifies(String body, Map<String, List<String>> headers, String secret) {
        try {
            new Webhook(secret).verify(body, headers);
            return true;
        } catch (WebhookVerificationException e) {
            return false;
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Received request = new Received(
                exchange.getRequestHeaders().getFirst("webhook-id"),
                exchange.getRequestHeaders().getFirst("webhook-timestamp"),
                exchange.getRequestHeaders().getFirst("webhook-signature"),
                body,
                false);
        String key = secret;
        request = new Received(
                request.webhookId(),
                request.timestamp(),
                request.signature(),
                body,
                key != null && request.webhookId() != null && verifies(request, key));
        synchronized (this) {
            received.add(request);
        }
        Plan plan = plans.poll();
        if (plan == null) {
            plan = new Plan(200, Map.of(), null);
        }
        if (plan.hold() != null) {
            try {
                // released by the test, or by close: a receiver that never answers
                CountDownLatch[] either = {plan.hold(), closing};
                while (either[0].getCount() > 0 && either[1].getCount() > 0) {
                    plan.hold().await(50, TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        plan.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        try {
            exchange.sendResponseHeaders(plan.status(), -1);
        } catch (IOException gone) {
            // the sender timed out and went away
        }
        exchange.close();
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        threads.shutdownNow();
        try {
            threads.awaitTermination(Duration.ofSeconds(5).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
