package dev.latchkey.app.journey;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.testsupport.TestAuthorizationServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Bad input, systematically (issue 11): each case is one bad request to one endpoint or to the browser flow. Each is
 * answered with a 4xx that says what was wrong (problem+json with its type, naming the field where there is one; an
 * HTML page in the browser flow), and nothing changed: the same events in the event store, the same rows in the
 * views.
 */
class BadInputTableTest extends JourneyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NUL = "\u0000";
    private static final int KIB = 1024;

    @Autowired
    JdbcTemplate jdbc;

    /** What a case may ask for: the test's callers and ids, and a browser in the middle of a consent. */
    record Given(
            Api api,
            String workspace,
            String applicationId,
            String connectionId,
            String alice,
            String bob,
            String admin,
            String function,
            String auditor,
            TestAuthorizationServer provider,
            Browser browser,
            URI callback) {

        Reply json(String token, String method, String path, Object body, String... headers) {
            return Reply.of(api.send(token, method, path, body, headers).raw());
        }

        Reply alice(String method, String path, Object body, String... headers) {
            return json(alice, method, path, body, headers);
        }

        Reply admin(String method, String path, Object body, String... headers) {
            return json(admin, method, path, body, headers);
        }

        /** A body sent chunked: no Content-Length, so its size is known only while reading it. */
        Reply chunked(String token, String method, String path, byte[] body) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(PUBLIC_URL + path))
                    .method(method, HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + token)
                    .build();
            return Reply.send(request);
        }

        /** Headers the JDK client refuses to send (control characters), written on a socket as they are. */
        Reply raw(String token, String method, String path, String extraHeader, String body) {
            try (Socket socket = new Socket("127.0.0.1", PORT)) {
                byte[] content = body.getBytes(StandardCharsets.UTF_8);
                String head = method + " " + path + " HTTP/1.1\r\n"
                        + "Host: 127.0.0.1:" + PORT + "\r\n"
                        + "Authorization: Bearer " + token + "\r\n"
                        + "Content-Type: application/json\r\n"
                        + "Accept: application/json\r\n"
                        + extraHeader + "\r\n"
                        + "Content-Length: " + content.length + "\r\n"
                        + "Connection: close\r\n\r\n";
                OutputStream out = socket.getOutputStream();
                out.write(head.getBytes(StandardCharsets.ISO_8859_1));
                out.write(content);
                out.flush();
                return Reply.parse(socket.getInputStream().readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        Reply browserGet(String pathAndQuery) {
            return Reply.of(new Browser().get(URI.create(PUBLIC_URL + pathAndQuery)));
        }

        /** The consented browser follows its callback with one parameter replaced. */
        Reply callbackWith(String name, String value) {
            URI changed = UriComponentsBuilder.fromUri(callback)
                    .replaceQueryParam(name, value)
                    .encode()
                    .build()
                    .toUri();
            return Reply.of(browser.get(changed));
        }
    }

    /** An answer: status, content type and body (parsed when it is JSON). */
    record Reply(int status, String contentType, String body, JsonNode json) {

        static Reply of(HttpResponse<String> response) {
            String type = response.headers().firstValue("Content-Type").orElse("");
            return new Reply(response.statusCode(), type, response.body(), parse(type, response.body()));
        }

        static Reply send(HttpRequest request) {
            try {
                return of(HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        static Reply parse(byte[] raw) {
            String text = new String(raw, StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            String head = end < 0 ? text : text.substring(0, end);
            String body = end < 0 ? "" : text.substring(end + 4);
            int status = Integer.parseInt(head.split(" ", 3)[1]);
            String type = head.lines()
                    .filter(line -> line.toLowerCase().startsWith("content-type:"))
                    .map(line -> line.substring("content-type:".length()).trim())
                    .findFirst()
                    .orElse("");
            if (head.toLowerCase().contains("transfer-encoding: chunked")) {
                body = unchunk(body);
            }
            return new Reply(status, type, body, parse(type, body));
        }

        private static String unchunk(String body) {
            StringBuilder out = new StringBuilder();
            int at = 0;
            while (at < body.length()) {
                int lineEnd = body.indexOf("\r\n", at);
                if (lineEnd < 0) {
                    break;
                }
                int size = Integer.parseInt(body.substring(at, lineEnd).trim(), 16);
                if (size == 0) {
                    break;
                }
                out.append(body, lineEnd + 2, lineEnd + 2 + size);
                at = lineEnd + 2 + size + 2;
            }
            return out.toString();
        }

        private static JsonNode parse(String type, String body) {
            if (!type.contains("json") || body.isEmpty()) {
                return null;
            }
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                return null;
            }
        }

        List<String> fields() {
            List<String> fields = new ArrayList<>();
            if (json != null) {
                json.path("errors")
                        .forEach(error -> fields.add(error.path("field").asText()));
            }
            return fields;
        }
    }

    /** Where a case starts: a shared (workspace) connection of Alice's, or also a browser that consented. */
    enum Setup {
        CONNECTED,
        CONSENTED
    }

    /**
     * One bad input. {@code type} is the problem type's suffix, or {@code null} for the browser's HTML page; {@code
     * field} is the field the problem must name, or {@code null}.
     */
    record BadInput(String name, Setup setup, Function<Given, Reply> request, int status, String type, String field) {

        @Override
        public String toString() {
            return name;
        }
    }

    static BadInput api(String name, Function<Given, Reply> request, int status, String type, String field) {
        return new BadInput(name, Setup.CONNECTED, request, status, type, field);
    }

    static BadInput validation(String name, Function<Given, Reply> request, String field) {
        return api(name, request, 400, "validation", field);
    }

    static BadInput page(String name, Setup setup, Function<Given, Reply> request) {
        return new BadInput(name, setup, request, 400, null, null);
    }

    // ---- the bodies the cases spoil

    static Map<String, Object> manifest(Given given, String path, Object value) {
        Map<String, Object> manifest = deepCopy(JourneyFixtures.manifest(given.applicationId(), given.provider()));
        put(manifest, path, value);
        return manifest;
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> root, String path, Object value) {
        String[] steps = path.split("\\.");
        Object at = root;
        for (int i = 0; i < steps.length - 1; i++) {
            at = step(at, steps[i]);
        }
        String last = steps[steps.length - 1];
        if (last.matches("\\d+")) {
            ((List<Object>) at).set(Integer.parseInt(last), value);
        } else {
            ((Map<String, Object>) at).put(last, value);
        }
    }

    @SuppressWarnings("unchecked")
    private static Object step(Object at, String step) {
        return step.matches("\\d+")
                ? ((List<Object>) at).get(Integer.parseInt(step))
                : ((Map<String, Object>) at).get(step);
    }

    @SuppressWarnings("unchecked")
    private static <T> T deepCopy(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new HashMap<>();
            map.forEach((k, v) -> copy.put((String) k, deepCopy(v)));
            return (T) copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(v -> copy.add(deepCopy(v)));
            return (T) copy;
        }
        return (T) value;
    }

    static Map<String, Object> start(Given given, String key, Object value) {
        Map<String, Object> body = new HashMap<>(
                Map.of("applicationId", given.applicationId(), "providerName", "acme", "visibility", "user"));
        body.put(key, value);
        return body;
    }

    static String nested(String key, int depth) {
        return "{\"" + key + "\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
    }

    static byte[] bigJson(String key, int bytes) {
        return ("{\"" + key + "\":\"" + "x".repeat(bytes) + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    static String app(Given given) {
        return "/v1/applications/" + given.applicationId();
    }

    static String variable(Given given, String name) {
        return app(given) + "/server-variables/" + name;
    }

    static String connection(Given given) {
        return "/v1/connections/" + given.connectionId();
    }

    static Stream<BadInput> badInputs() {
        return Stream.of(
                // ---- applications: the manifest
                validation(
                        "manifest displayName with NUL",
                        g -> g.admin("PUT", app(g), manifest(g, "displayName", "Acme" + NUL)),
                        "displayName"),
                validation(
                        "manifest description with a C0 control",
                        g -> g.admin("PUT", app(g), manifest(g, "description", "Connect\u0001 Acme.")),
                        "description"),
                validation(
                        "manifest description with DEL",
                        g -> g.admin("PUT", app(g), manifest(g, "description", "Connect\u007f Acme.")),
                        "description"),
                validation(
                        "provider displayName with DEL",
                        g -> g.admin("PUT", app(g), manifest(g, "connectionProviders.0.displayName", "Ac\u007fme")),
                        "connectionProviders[0].displayName"),
                validation(
                        "provider name with NUL",
                        g -> g.admin("PUT", app(g), manifest(g, "connectionProviders.0.name", "acme" + NUL)),
                        "connectionProviders[0].name"),
                validation(
                        "provider icon with ESC",
                        g -> g.admin("PUT", app(g), manifest(g, "connectionProviders.0.icon", "Icon\u001b[31m")),
                        "connectionProviders[0].icon"),
                validation(
                        "tokenEndpoint with NUL",
                        g -> g.admin(
                                "PUT",
                                app(g),
                                manifest(
                                        g,
                                        "connectionProviders.0.oauth.tokenEndpoint",
                                        "https://acme.example/t" + NUL)),
                        "connectionProviders[0].oauth.tokenEndpoint"),
                validation(
                        "a scope with NUL",
                        g -> g.admin(
                                "PUT",
                                app(g),
                                manifest(g, "connectionProviders.0.oauth.scopes", List.of("read" + NUL))),
                        "connectionProviders[0].oauth.scopes[0]"),
                validation(
                        "a null scope",
                        g -> g.admin(
                                "PUT",
                                app(g),
                                manifest(
                                        g,
                                        "connectionProviders.0.oauth.scopes",
                                        java.util.Arrays.asList("read", null))),
                        "connectionProviders[0].oauth.scopes[1]"),
                validation(
                        "a null connection provider",
                        g -> g.admin("PUT", app(g), manifest(g, "connectionProviders", java.util.Arrays.asList((Object)
                                null))),
                        "connectionProviders[0]"),
                validation(
                        "a null server variable declaration",
                        g -> g.admin("PUT", app(g), manifest(g, "serverVariables.ACME_CLIENT_ID", null)),
                        "serverVariables.ACME_CLIENT_ID"),
                validation(
                        "a server variable description with NUL",
                        g -> g.admin(
                                "PUT",
                                app(g),
                                manifest(g, "serverVariables.ACME_CLIENT_ID.description", "client" + NUL + "id")),
                        "serverVariables.ACME_CLIENT_ID.description"),
                validation(
                        "a null allowed return URL",
                        g -> g.admin("PUT", app(g), manifest(g, "allowedReturnUrls", java.util.Arrays.asList((Object)
                                null))),
                        "allowedReturnUrls[0]"),
                validation(
                        "an allowed return URL with NUL",
                        g -> g.admin(
                                "PUT",
                                app(g),
                                manifest(g, "allowedReturnUrls", List.of(JourneyFixtures.RETURN_URL + NUL))),
                        "allowedReturnUrls[0]"),
                validation(
                        "an authorization parameter with NUL",
                        g -> g.admin(
                                "PUT",
                                app(g),
                                manifest(
                                        g,
                                        "connectionProviders.0.oauth.authorizationParams",
                                        Map.of("prompt", "con" + NUL))),
                        "connectionProviders[0].oauth.authorizationParams.prompt"),
                validation(
                        "a manifest displayName over 1000 characters",
                        g -> g.admin("PUT", app(g), manifest(g, "displayName", "x".repeat(1001))),
                        "displayName"),
                validation(
                        "connectionProviders of the wrong type",
                        g -> g.admin("PUT", app(g), manifest(g, "connectionProviders", "acme")),
                        "connectionProviders"),
                api(
                        "a manifest over 256 KiB",
                        g -> g.admin("PUT", app(g), manifest(g, "description", "x".repeat(257 * KIB))),
                        413,
                        "payload-too-large",
                        null),
                api(
                        "a chunked manifest over 256 KiB",
                        g -> g.chunked(g.admin(), "PUT", app(g), bigJson("description", 300 * KIB)),
                        413,
                        "payload-too-large",
                        null),
                api(
                        "a manifest as text/plain",
                        g -> g.admin("PUT", app(g), manifest(g, "displayName", "Acme"), "Content-Type", "text/plain"),
                        415,
                        "unsupported-media-type",
                        null),
                api("a manifest that is an array", g -> g.admin("PUT", app(g), "[]"), 400, "malformed-request", null),
                api("a manifest that is null", g -> g.admin("PUT", app(g), "null"), 400, "validation", null),
                validation(
                        "a manifest nested 5000 deep",
                        g -> g.admin("PUT", app(g), nested("displayName", 5000)),
                        "displayName"),
                api(
                        "a manifest nested 5000 deep where an object may be",
                        g -> g.admin("PUT", app(g), "{\"x\":" + "{\"x\":".repeat(5000) + "1" + "}".repeat(5001)),
                        400,
                        "malformed-request",
                        null),
                validation(
                        "a bad manifest asked for as text/html",
                        g -> g.admin("PUT", app(g), manifest(g, "displayName", NUL), "Accept", "text/html"),
                        "displayName"),
                api(
                        "an application id with NUL",
                        g -> g.admin("GET", "/v1/applications/%00", null),
                        400,
                        "malformed-request",
                        null),
                // ---- applications: server variables
                validation(
                        "a server variable value with NUL",
                        g -> g.admin("PUT", variable(g, "ACME_CLIENT_ID"), Map.of("value", "id" + NUL)),
                        "value"),
                validation(
                        "a server variable value with a newline",
                        g -> g.admin("PUT", variable(g, "ACME_CLIENT_ID"), Map.of("value", "id\nmore")),
                        "value"),
                validation(
                        "a server variable value over 8192 characters",
                        g -> g.admin("PUT", variable(g, "ACME_CLIENT_ID"), Map.of("value", "x".repeat(8193))),
                        "value"),
                validation(
                        "a server variable value of the wrong type",
                        g -> g.admin("PUT", variable(g, "ACME_CLIENT_ID"), Map.of("value", List.of("x"))),
                        "value"),
                api(
                        "a server variable body over 16 KiB",
                        g -> g.admin("PUT", variable(g, "ACME_CLIENT_ID"), Map.of("value", "x".repeat(17 * KIB))),
                        413,
                        "payload-too-large",
                        null),
                api(
                        "a server variable as a form",
                        g -> g.admin(
                                "PUT",
                                variable(g, "ACME_CLIENT_ID"),
                                "value=x",
                                "Content-Type",
                                "application/x-www-form-urlencoded"),
                        415,
                        "unsupported-media-type",
                        null),
                api(
                        "a server variable name with NUL",
                        g -> g.admin("PUT", variable(g, "ACME%00ID"), Map.of("value", "x")),
                        400,
                        "malformed-request",
                        null),
                api(
                        "unsetting a server variable named with NUL",
                        g -> g.admin("DELETE", variable(g, "%00"), null),
                        400,
                        "malformed-request",
                        null),
                // ---- connections: start
                validation(
                        "a connection name with NUL",
                        g -> g.alice("POST", "/v1/connections", start(g, "name", "Work" + NUL)),
                        "name"),
                validation(
                        "a connection name with a unit separator",
                        g -> g.alice("POST", "/v1/connections", start(g, "name", "Work\u001f")),
                        "name"),
                validation(
                        "a connection name with a tab",
                        g -> g.alice("POST", "/v1/connections", start(g, "name", "Work\tAcme")),
                        "name"),
                validation(
                        "a connection name over 200 characters",
                        g -> g.alice("POST", "/v1/connections", start(g, "name", "x".repeat(201))),
                        "name"),
                validation(
                        "a return URL with NUL",
                        g -> g.alice(
                                "POST", "/v1/connections", start(g, "returnUrl", JourneyFixtures.RETURN_URL + NUL)),
                        "returnUrl"),
                validation(
                        "a provider name with NUL",
                        g -> g.alice("POST", "/v1/connections", start(g, "providerName", "acme" + NUL)),
                        "providerName"),
                validation(
                        "an application id with NUL in the body",
                        g -> g.alice("POST", "/v1/connections", start(g, "applicationId", g.applicationId() + NUL)),
                        "applicationId"),
                validation(
                        "a connection name of the wrong type",
                        g -> g.alice("POST", "/v1/connections", start(g, "name", Map.of("a", 1))),
                        "name"),
                api(
                        "a start body over 16 KiB",
                        g -> g.alice("POST", "/v1/connections", start(g, "returnUrl", "x".repeat(17 * KIB))),
                        413,
                        "payload-too-large",
                        null),
                api(
                        "a chunked start body over 16 KiB",
                        g -> g.chunked(g.alice(), "POST", "/v1/connections", bigJson("name", 20 * KIB)),
                        413,
                        "payload-too-large",
                        null),
                api(
                        "a start body as text/plain",
                        g -> g.alice("POST", "/v1/connections", start(g, "name", "x"), "Content-Type", "text/plain"),
                        415,
                        "unsupported-media-type",
                        null),
                validation(
                        "a start body nested 3000 deep",
                        g -> g.alice("POST", "/v1/connections", nested("name", 3000)),
                        "name"),
                api(
                        "a start body that is a string",
                        g -> g.alice("POST", "/v1/connections", "\"connect me\""),
                        400,
                        "malformed-request",
                        null),
                validation(
                        "an Idempotency-Key over 255 characters",
                        g -> g.alice(
                                "POST",
                                "/v1/connections",
                                start(g, "name", "Work"),
                                "Idempotency-Key",
                                "k".repeat(256)),
                        "Idempotency-Key"),
                api( // Tomcat refuses such a header before any filter: it cannot name it, but answers problem+json
                        "an Idempotency-Key with a control character",
                        g -> g.raw(
                                g.alice(),
                                "POST",
                                "/v1/connections",
                                "Idempotency-Key: key\u0001one",
                                json(start(g, "name", "Work"))),
                        400,
                        "malformed-request",
                        null),
                api( // Tomcat refuses such a header before any filter: it cannot name it, but answers problem+json
                        "an Idempotency-Key with DEL",
                        g -> g.raw(
                                g.alice(),
                                "POST",
                                "/v1/connections",
                                "Idempotency-Key: key\u007fone",
                                json(start(g, "name", "Work"))),
                        400,
                        "malformed-request",
                        null),
                validation(
                        "a bad start asked for as text/html",
                        g -> g.alice("POST", "/v1/connections", start(g, "name", NUL), "Accept", "text/html"),
                        "name"),
                // ---- connections: reconnect
                validation(
                        "a reconnect return URL with NUL",
                        g -> g.alice("POST", connection(g) + "/reconnect", Map.of("returnUrl", "https://x" + NUL)),
                        "returnUrl"),
                validation(
                        "a reconnect return URL not allow-listed",
                        g -> g.alice("POST", connection(g) + "/reconnect", Map.of("returnUrl", "https://evil.example")),
                        "returnUrl"),
                api(
                        "a reconnect of connection %00",
                        g -> g.alice("POST", "/v1/connections/%00/reconnect", Map.of()),
                        400,
                        "malformed-request",
                        null),
                // ---- connections: patch
                validation(
                        "a new name with NUL",
                        g -> g.alice("PATCH", connection(g), Map.of("name", "Renamed" + NUL)),
                        "name"),
                validation(
                        "a new name with a carriage return",
                        g -> g.alice("PATCH", connection(g), Map.of("name", "Renamed\r")),
                        "name"),
                validation(
                        "a new name over 200 characters",
                        g -> g.alice("PATCH", connection(g), Map.of("name", "x".repeat(201))),
                        "name"),
                validation("a blank new name", g -> g.alice("PATCH", connection(g), Map.of("name", "   ")), "name"),
                validation(
                        "a visibility nobody knows",
                        g -> g.alice("PATCH", connection(g), Map.of("visibility", "everyone")),
                        "visibility"),
                validation(
                        "a rename with a visibility nobody knows",
                        g -> g.alice("PATCH", connection(g), Map.of("name", "Renamed", "visibility", "everyone")),
                        "visibility"),
                api(
                        "a rename with a visibility change by a non-owner",
                        g -> g.json(g.bob(), "PATCH", connection(g), Map.of("name", "Bob's now", "visibility", "user")),
                        404,
                        "not-found",
                        null),
                validation("an empty patch", g -> g.alice("PATCH", connection(g), Map.of()), ""),
                api(
                        "a patch as text/plain",
                        g -> g.alice("PATCH", connection(g), Map.of("name", "x"), "Content-Type", "text/plain"),
                        415,
                        "unsupported-media-type",
                        null),
                api(
                        "a patch over 16 KiB",
                        g -> g.alice("PATCH", connection(g), Map.of("name", "x".repeat(17 * KIB))),
                        413,
                        "payload-too-large",
                        null),
                api(
                        "a patch of connection a%2Fb",
                        g -> g.alice("PATCH", "/v1/connections/a%2Fb", Map.of("name", "x")),
                        400,
                        "malformed-request",
                        null),
                // ---- connections: refresh, delete
                api(
                        "a refresh of connection %00",
                        g -> g.alice("POST", "/v1/connections/%00/refresh", null), 400, "malformed-request", null),
                api(
                        "a refresh with a body over 16 KiB",
                        g -> g.alice(
                                "POST", connection(g) + "/refresh", Map.of("failedAccessToken", "x".repeat(17 * KIB))),
                        413,
                        "payload-too-large",
                        null),
                api(
                        "a delete of connection %00",
                        g -> g.alice("DELETE", "/v1/connections/%00", null), 400, "malformed-request", null),
                api(
                        "a delete of connection ..%2F..",
                        g -> g.alice("DELETE", "/v1/connections/..%2F..", null), 400, "malformed-request", null),
                api(
                        "a delete of a connection id with a control character",
                        g -> g.alice("DELETE", "/v1/connections/" + g.connectionId() + "%01", null),
                        400,
                        "malformed-request",
                        null),
                // ---- connections: auth-failure
                validation(
                        "an auth-failure reason with NUL",
                        g -> g.json(
                                g.function(), "POST", connection(g) + "/auth-failure", Map.of("reason", "401" + NUL)),
                        "reason"),
                validation(
                        "an auth-failure reason with BEL",
                        g -> g.json(
                                g.function(), "POST", connection(g) + "/auth-failure", Map.of("reason", "401\u0007")),
                        "reason"),
                validation(
                        "an auth-failure reason over 1000 characters",
                        g -> g.json(
                                g.function(),
                                "POST",
                                connection(g) + "/auth-failure",
                                Map.of("reason", "x".repeat(1001))),
                        "reason"),
                validation(
                        "an auth-failure expiry that is no time",
                        g -> g.json(
                                g.function(),
                                "POST",
                                connection(g) + "/auth-failure",
                                Map.of("reason", "401", "accessTokenExpiresAt", "soon")),
                        "accessTokenExpiresAt"),
                api(
                        "an auth-failure as a form",
                        g -> g.json(
                                g.function(),
                                "POST",
                                connection(g) + "/auth-failure",
                                "reason=401",
                                "Content-Type",
                                "application/x-www-form-urlencoded"),
                        415,
                        "unsupported-media-type",
                        null),
                // ---- connections: list, get
                validation(
                        "a list by provider name with NUL",
                        g -> g.alice("GET", "/v1/connections?providerName=acme%00", null),
                        "providerName"),
                validation(
                        "a list by application id with NUL",
                        g -> g.alice("GET", "/v1/connections?applicationId=%00", null),
                        "applicationId"),
                validation(
                        "a list by a visibility nobody knows",
                        g -> g.alice("GET", "/v1/connections?visibility=everyone", null),
                        "visibility"),
                validation(
                        "a list by a visibility with a control character",
                        g -> g.alice("GET", "/v1/connections?visibility=user%1b", null),
                        "visibility"),
                api(
                        "a get of connection %00",
                        g -> g.alice("GET", "/v1/connections/%00", null), 400, "malformed-request", null),
                api(
                        "a get of connection %2F",
                        g -> g.alice("GET", "/v1/connections/%2F", null), 400, "malformed-request", null),
                api(
                        "an unknown connection asked for as text/html",
                        g -> g.alice("GET", "/v1/connections/no-such-connection", null, "Accept", "text/html"),
                        404,
                        "not-found",
                        null),
                // ---- audit
                api(
                        "the history of connection %00",
                        g -> g.json(g.auditor(), "GET", "/v1/connections/%00/history", null),
                        400,
                        "malformed-request",
                        null),
                validation("events with limit 0", g -> g.json(g.auditor(), "GET", "/v1/events?limit=0", null), "limit"),
                validation(
                        "events with limit -1", g -> g.json(g.auditor(), "GET", "/v1/events?limit=-1", null), "limit"),
                validation(
                        "events with a limit over the page size",
                        g -> g.json(g.auditor(), "GET", "/v1/events?limit=1001", null),
                        "limit"),
                api(
                        "events with a limit beyond int",
                        g -> g.json(g.auditor(), "GET", "/v1/events?limit=99999999999", null),
                        400,
                        "malformed-request",
                        null),
                validation("events after -1", g -> g.json(g.auditor(), "GET", "/v1/events?after=-1", null), "after"),
                api(
                        "events after a position beyond long",
                        g -> g.json(g.auditor(), "GET", "/v1/events?after=99999999999999999999", null),
                        400,
                        "malformed-request",
                        null),
                api(
                        "events after no number",
                        g -> g.json(g.auditor(), "GET", "/v1/events?after=abc", null),
                        400,
                        "malformed-request",
                        null),
                validation("events after NUL", g -> g.json(g.auditor(), "GET", "/v1/events?after=%00", null), "after"),
                // ---- master keys
                api(
                        "a master key rotation with a body over 16 KiB",
                        g -> g.admin("POST", "/v1/admin/master-keys/rotate", Map.of("x", "x".repeat(17 * KIB))),
                        413,
                        "payload-too-large",
                        null),
                api(
                        "a master key rotation without the scope, asked for as text/html",
                        g -> g.alice("POST", "/v1/admin/master-keys/rotate", null, "Accept", "text/html"),
                        403,
                        "forbidden",
                        null),
                api(
                        "a master key rotation at a path with NUL",
                        g -> g.admin("POST", "/v1/admin/master-keys/rotate%00", null),
                        400,
                        "malformed-request",
                        null),
                // ---- replay admin
                api(
                        "a replay of projection %00",
                        g -> g.admin("POST", "/v1/admin/projections/%00/replay", null), 400, "malformed-request", null),
                api(
                        "a replay of a projection nobody knows",
                        g -> g.admin("POST", "/v1/admin/projections/no-such-view/replay", null),
                        404,
                        "not-found",
                        null),
                api(
                        "the progress of projection a%2Fb",
                        g -> g.admin("GET", "/v1/admin/projections/a%2Fb", null), 400, "malformed-request", null),
                api(
                        "a replay with a body over 16 KiB",
                        g -> g.admin("POST", "/v1/admin/projections/connection-view/replay", bigJsonString(17 * KIB)),
                        413,
                        "payload-too-large",
                        null),
                // ---- the browser flow
                page(
                        "an authorize ticket with NUL",
                        Setup.CONNECTED,
                        g -> g.browserGet("/apps/oauth/authorize?ticket=%00")),
                page(
                        "an authorize ticket with a control character",
                        Setup.CONNECTED,
                        g -> g.browserGet("/apps/oauth/authorize?ticket=abc%01def")),
                page(
                        "a huge authorize ticket",
                        Setup.CONNECTED,
                        g -> g.browserGet("/apps/oauth/authorize?ticket=" + "t".repeat(6000))),
                page("an empty authorize ticket", Setup.CONNECTED, g -> g.browserGet("/apps/oauth/authorize?ticket=")),
                page(
                        "a callback state with NUL",
                        Setup.CONNECTED,
                        g -> g.browserGet("/apps/oauth/callback?code=c&state=%00")),
                page(
                        "a huge callback state",
                        Setup.CONNECTED,
                        g -> g.browserGet("/apps/oauth/callback?code=c&state=" + "s".repeat(6000))),
                page("a callback with nothing", Setup.CONNECTED, g -> g.browserGet("/apps/oauth/callback")),
                page("a callback code with NUL", Setup.CONSENTED, g -> g.callbackWith("code", "abc" + NUL)),
                page("a huge callback code", Setup.CONSENTED, g -> g.callbackWith("code", "c".repeat(6000))),
                page("a callback iss with NUL", Setup.CONSENTED, g -> g.callbackWith("iss", "https://x" + NUL)),
                page(
                        "a provider error with NUL",
                        Setup.CONSENTED,
                        g -> g.callbackWith("error", "access" + NUL + "denied")),
                page(
                        "a provider error with a newline",
                        Setup.CONSENTED,
                        g -> g.callbackWith("error", "access_denied\nforged log line")),
                page("a huge provider error", Setup.CONSENTED, g -> g.callbackWith("error", "e".repeat(6000))));
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String bigJsonString(int bytes) {
        return new String(bigJson("x", bytes), StandardCharsets.UTF_8);
    }

    /** What a bad input must leave as it was: every event, and the rows of the views (as JSON, to compare). */
    record Stored(long events, List<String> connections, List<String> applications) {}

    Stored stored(Shared shared) {
        return new Stored(
                jdbc.queryForObject("select count(*) from domain_event_entry", Long.class),
                jdbc.queryForList(
                        "select to_jsonb(v)::text from connection_view v where workspace_id = ? order by connection_id",
                        String.class,
                        shared.workspace()),
                jdbc.queryForList(
                        "select to_jsonb(a)::text from application_view a where application_id = ?",
                        String.class,
                        shared.applicationId()));
    }

    /**
     * One workspace, application and shared connection for every case (each case checks that it changed nothing, so
     * they may share them); a consent is started afresh for each case that needs one.
     */
    record Shared(String workspace, String applicationId, String alice, String connectionId) {}

    private static Shared shared;

    @Override
    boolean installsReadyApplication() {
        return false;
    }

    private Shared shared() {
        if (shared == null) {
            connections.installReady(applicationId);
            shared =
                    new Shared(workspace, applicationId, alice, connections.connect(alice, applicationId, "workspace"));
        }
        return shared;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void isRefusedWithAClearAnswerAndChangesNothing(BadInput bad) {
        Shared shared = shared();
        String workspace = shared.workspace();
        String applicationId = shared.applicationId();
        String alice = shared.alice();
        Browser browser = null;
        URI callback = null;
        if (bad.setup() == Setup.CONSENTED) {
            Api.Answer started = connections.start(alice, applicationId, "user", null);
            browser = new Browser();
            callback = browser.consent(
                    URI.create(started.body().path("authorizeUrl").asText()), provider);
        }
        Given given = new Given(
                api,
                workspace,
                applicationId,
                shared.connectionId(),
                alice,
                JourneyFixtures.member(workspace, "uw-bob"),
                JourneyFixtures.admin(),
                JourneyFixtures.function(workspace, applicationId, "http-route", "uw-alice"),
                Api.token("sub", "auditor", "wid", workspace, "scope", "audit:read"),
                provider,
                browser,
                callback);
        Stored before = stored(shared);

        Reply reply = bad.request().apply(given);

        assertThat(reply.status()).as(bad.name() + ": " + reply.body()).isEqualTo(bad.status());
        if (bad.type() == null) {
            assertThat(reply.contentType()).as(bad.name() + ": " + reply.body()).startsWith("text/html");
            assertThat(reply.body())
                    .contains("<html")
                    .doesNotContain("Exception")
                    .doesNotContain("at dev.");
        } else {
            assertThat(reply.contentType()).as(bad.name() + ": " + reply.body()).startsWith("application/problem+json");
            assertThat(reply.json()).as(bad.name() + ": " + reply.body()).isNotNull();
            assertThat(reply.json().path("type").asText())
                    .as(bad.name() + ": " + reply.body())
                    .endsWith("/" + bad.type());
            if (bad.field() != null) {
                assertThat(reply.fields()).as(bad.name() + ": " + reply.body()).contains(bad.field());
            }
        }
        assertThat(stored(shared)).as(bad.name() + ": nothing changed").isEqualTo(before);
    }
}
