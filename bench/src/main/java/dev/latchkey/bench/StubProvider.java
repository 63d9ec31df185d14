package dev.latchkey.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An OAuth token endpoint on loopback that answers every refresh after a fixed delay with new tokens valid for an
 * hour, as a provider would. It lives in the driver's JVM, not in the server's.
 */
final class StubProvider implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService threads;
    private final AtomicLong answered = new AtomicLong();
    private final AtomicInteger handling = new AtomicInteger();
    private final AtomicInteger mostAtOnce = new AtomicInteger();

    private StubProvider(Duration delay) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        threads = Executors.newFixedThreadPool(64);
        server.setExecutor(threads);
        server.createContext("/token", exchange -> {
            int now = handling.incrementAndGet();
            mostAtOnce.accumulateAndGet(now, Math::max);
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                Thread.sleep(delay.toMillis());
                long n = answered.incrementAndGet();
                byte[] body = ("{\"access_token\":\"stub-access-" + n + "\",\"token_type\":\"Bearer\","
                                + "\"expires_in\":3600,\"refresh_token\":\"stub-refresh-" + n
                                + "\",\"scope\":\"read write\"}")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                handling.decrementAndGet();
            }
        });
        server.start();
    }

    static StubProvider start(Duration delay) throws IOException {
        return new StubProvider(delay);
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    long answered() {
        return answered.get();
    }

    /** The most token requests the stub was answering at one moment. */
    int mostAtOnce() {
        return mostAtOnce.get();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
