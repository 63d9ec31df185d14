package dev.latchkey.app.security;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/** Serves an issuer's JWK set from another address, or answers 503 while told it is unavailable. */
final class JwkSetRelay {

    private final HttpServer server;
    private volatile boolean unavailable;

    JwkSetRelay(URI jwkSet) {
        HttpClient client = HttpClient.newHttpClient();
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/jwks", exchange -> {
            try (exchange) {
                if (unavailable) {
                    exchange.sendResponseHeaders(503, -1);
                    return;
                }
                byte[] body = client.send(HttpRequest.newBuilder(jwkSet).build(), HttpResponse.BodyHandlers.ofString())
                        .body()
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
    }

    String uri() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks";
    }

    void unavailable(boolean unavailable) {
        this.unavailable = unavailable;
    }

    void stop() {
        server.stop(0);
    }
}
