package dev.latchkey.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An OAuth authorization server on loopback that rotates refresh tokens, as many real ones do: every token answer
 * (code exchange or refresh) is a new grant with a new access token and a new refresh token, and the refresh token
 * presented is used up. Presenting a used refresh token again is counted as a reuse and answered
 * {@code invalid_grant}. It auto-consents on {@code /authorize} and marks tokens revoked on {@code /revoke} (RFC 7009).
 * It keeps every grant, so the soak can account for each one at the end. It lives in the driver's JVM.
 */
final class RotatingProvider implements AutoCloseable {

    static final String CLIENT_ID = "soak-client";
    static final String CLIENT_SECRET = "soak-secret";

    /** One token answer: an access token and a refresh token, in a family that starts with one code. */
    static final class Grant {
        final long number;
        final long family;
        final Long parent; // the grant whose refresh token was presented; null for a code exchange
        final String accessToken;
        final String refreshToken;
        final long issuedAtMillis;
        final long expiresAtMillis;
        volatile boolean delivered; // the answer was written without an I/O error
        volatile long presentedAtMillis; // its refresh token was used for a refresh (0: never)
        volatile long revokedAtMillis; // one of its tokens was revoked (0: never)

        Grant(long number, long family, Long parent, String accessToken, String refreshToken, long now, long ttl) {
            this.number = number;
            this.family = family;
            this.parent = parent;
            this.accessToken = accessToken;
            this.refreshToken = refreshToken;
            this.issuedAtMillis = now;
            this.expiresAtMillis = now + ttl;
        }
    }

    private record Code(long family, String redirectUri, long expiresAtMillis) {}

    private final HttpServer server;
    private final ExecutorService threads;
    private final SecureRandom random = new SecureRandom();
    private volatile Duration tokenLifetime;
    private final Duration delay;
    private final AtomicLong grantNumbers = new AtomicLong();
    private final AtomicLong familyNumbers = new AtomicLong();
    private final Map<String, Code> codes = new ConcurrentHashMap<>();
    private final Map<String, Long> codeFamilies = new ConcurrentHashMap<>(); // every code ever issued
    private final Map<Long, Grant> grants = new ConcurrentHashMap<>();
    private final Map<String, Grant> byAccessToken = new ConcurrentHashMap<>();
    private final Map<String, Grant> byRefreshToken = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();
    private final List<String> reuses = java.util.Collections.synchronizedList(new ArrayList<>());

    private RotatingProvider(Duration tokenLifetime, Duration delay) throws IOException {
        this.tokenLifetime = tokenLifetime;
        this.delay = delay;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        threads = Executors.newFixedThreadPool(32);
        server.setExecutor(threads);
        server.createContext("/authorize", this::authorize);
        server.createContext("/token", this::token);
        server.createContext("/revoke", this::revoke);
        server.start();
    }

    static RotatingProvider start(Duration tokenLifetime, Duration delay) throws IOException {
        return new RotatingProvider(tokenLifetime, delay);
    }

    /** From now on, grants are valid this long (the soak's end: tokens that need no refresh while it counts). */
    void setTokenLifetime(Duration lifetime) {
        tokenLifetime = lifetime;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    long count(String name) {
        AtomicLong counter = counters.get(name);
        return counter == null ? 0 : counter.get();
    }

    Map<String, Long> counters() {
        Map<String, Long> copy = new java.util.TreeMap<>();
        counters.forEach((name, value) -> copy.put(name, value.get()));
        return copy;
    }

    List<String> reuses() {
        synchronized (reuses) {
            return List.copyOf(reuses);
        }
    }

    List<Grant> grants() {
        return grants.values().stream()
                .sorted(java.util.Comparator.comparingLong(g -> g.number))
                .toList();
    }

    Grant grantOfAccessToken(String accessToken) {
        return accessToken == null ? null : byAccessToken.get(accessToken);
    }

    /** The family a code started, or null. */
    Long familyOfCode(String code) {
        return codeFamilies.get(code);
    }

    private void increment(String name) {
        counters.computeIfAbsent(name, n -> new AtomicLong()).incrementAndGet();
    }

    // --- endpoints ---------------------------------------------------------------------------------------------

    /** Consent is automatic: 302 to the redirect URI with a single-use code and the state. */
    private void authorize(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> query = parse(exchange.getRequestURI().getRawQuery());
            String redirectUri = query.get("redirect_uri");
            if (!"code".equals(query.get("response_type"))
                    || !CLIENT_ID.equals(query.get("client_id"))
                    || redirectUri == null
                    || query.get("state") == null) {
                increment("authorize refused");
                send(exchange, 400, "{\"error\":\"invalid_request\"}");
                return;
            }
            String code = "code-" + randomHex();
            long family = familyNumbers.incrementAndGet();
            codes.put(code, new Code(family, redirectUri, System.currentTimeMillis() + 600_000));
            codeFamilies.put(code, family);
            increment("codes issued");
            String location = redirectUri + (redirectUri.contains("?") ? "&" : "?") + "code=" + code + "&state="
                    + URLEncoder.encode(query.get("state"), StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Location", URI.create(location).toString());
            exchange.sendResponseHeaders(302, -1);
        }
    }

    private void token(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> form = parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            pause();
            if (!CLIENT_ID.equals(form.get("client_id")) || !CLIENT_SECRET.equals(form.get("client_secret"))) {
                increment("token: invalid_client");
                send(exchange, 401, "{\"error\":\"invalid_client\"}");
                return;
            }
            String grantType = form.getOrDefault("grant_type", "");
            Grant issued;
            synchronized (this) {
                if (grantType.equals("authorization_code")) {
                    String code = form.getOrDefault("code", "");
                    Code found = codes.remove(code);
                    if (found == null) {
                        increment(codeFamilies.containsKey(code) ? "code presented twice" : "code unknown");
                        issued = null;
                    } else if (!found.redirectUri().equals(form.get("redirect_uri"))
                            || found.expiresAtMillis() < System.currentTimeMillis()) {
                        increment("code refused (redirect_uri or expiry)");
                        issued = null;
                    } else {
                        issued = issue(found.family(), null);
                        increment("grants issued: code exchange");
                    }
                } else if (grantType.equals("refresh_token")) {
                    Grant presented = byRefreshToken.get(form.getOrDefault("refresh_token", ""));
                    long now = System.currentTimeMillis();
                    if (presented == null) {
                        increment("refresh: unknown refresh token");
                        issued = null;
                    } else if (presented.presentedAtMillis != 0) {
                        increment("refresh: REUSE of a used refresh token");
                        reuses.add("grant " + presented.number + " (family " + presented.family + ") presented again "
                                + (now - presented.presentedAtMillis) + " ms after its first use");
                        issued = null;
                    } else if (presented.revokedAtMillis != 0) {
                        increment("refresh: revoked refresh token");
                        issued = null;
                    } else {
                        presented.presentedAtMillis = now;
                        issued = issue(presented.family, presented.number);
                        increment("grants issued: refresh");
                    }
                } else {
                    increment("token: unsupported grant type");
                    send(exchange, 400, "{\"error\":\"unsupported_grant_type\"}");
                    return;
                }
            }
            if (issued == null) {
                send(exchange, 400, "{\"error\":\"invalid_grant\"}");
                return;
            }
            String body = "{\"access_token\":\"" + issued.accessToken + "\",\"token_type\":\"Bearer\",\"expires_in\":"
                    + (issued.expiresAtMillis - issued.issuedAtMillis) / 1000 + ",\"refresh_token\":\"" + issued.refreshToken
                    + "\",\"scope\":\"read write\"}";
            try {
                send(exchange, 200, body);
                issued.delivered = true;
            } catch (IOException e) {
                increment("token answers not delivered (I/O error)");
                throw e;
            }
        }
    }

    /** RFC 7009: 200 whether or not the token was known. */
    private void revoke(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> form = parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            pause();
            if (!CLIENT_ID.equals(form.get("client_id")) || !CLIENT_SECRET.equals(form.get("client_secret"))) {
                increment("revoke: invalid_client");
                send(exchange, 401, "{\"error\":\"invalid_client\"}");
                return;
            }
            String token = form.getOrDefault("token", "");
            Grant grant = byRefreshToken.get(token);
            String kind = "refresh token";
            if (grant == null) {
                grant = byAccessToken.get(token);
                kind = "access token";
            }
            if (grant == null) {
                increment("revoke: unknown token");
            } else {
                synchronized (this) {
                    if (grant.revokedAtMillis == 0) {
                        grant.revokedAtMillis = System.currentTimeMillis();
                    }
                }
                increment("revoke: " + kind);
            }
            send(exchange, 200, "");
        }
    }

    private Grant issue(long family, Long parent) {
        long number = grantNumbers.incrementAndGet();
        Grant grant = new Grant(
                number,
                family,
                parent,
                "at-" + number + "-" + randomHex(),
                "rt-" + number + "-" + randomHex(),
                System.currentTimeMillis(),
                tokenLifetime.toMillis());
        grants.put(number, grant);
        byAccessToken.put(grant.accessToken, grant);
        byRefreshToken.put(grant.refreshToken, grant);
        return grant;
    }

    private void pause() {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String randomHex() {
        byte[] bytes = new byte[12];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
    }

    static Map<String, String> parse(String encoded) {
        Map<String, String> values = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return values;
        }
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            values.put(
                    URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return values;
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
