package dev.latchkey.app.journey;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.app.LatchkeySpringTest;
import dev.latchkey.app.security.DevTokenCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Latchkey's HTTP API as the gateway and logic functions call it, with tokens minted for the test. */
public final class Api {

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private final String baseUrl;

    public Api(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** A response with its body read as JSON (null when empty). */
    public record Answer(int status, JsonNode body, HttpResponse<String> raw) {
        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    /** Claims as API.md names them; the token is HS256 with the test secret. */
    public static String token(String... claims) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < claims.length; i += 2) {
            options.put(claims[i], claims[i + 1]);
        }
        return DevTokenCommand.mint(
                options, LatchkeySpringTest.TEST_JWT_SECRET.getBytes(StandardCharsets.UTF_8), Instant.now());
    }

    public Answer get(String token, String path) {
        return send(token, "GET", path, null);
    }

    public Answer post(String token, String path, Object body) {
        return send(token, "POST", path, body);
    }

    public Answer put(String token, String path, Object body) {
        return send(token, "PUT", path, body);
    }

    public Answer patch(String token, String path, Object body) {
        return send(token, "PATCH", path, body);
    }

    public Answer delete(String token, String path) {
        return send(token, "DELETE", path, null);
    }

    public Answer send(String token, String method, String path, Object body, String... headers) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                    .method(
                            method,
                            body == null
                                    ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofString(
                                            body instanceof String s ? s : json.writeValueAsString(body)))
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json");
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            for (int i = 0; i + 1 < headers.length; i += 2) {
                request.setHeader(headers[i], headers[i + 1]); // replaces the JSON defaults above
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode parsed = response.body().isEmpty() ? null : parse(response.body());
            return new Answer(response.statusCode(), parsed, response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private JsonNode parse(String body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            return json.getNodeFactory().textNode(body);
        }
    }
}
