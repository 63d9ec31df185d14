package dev.latchkey.bench;

import static dev.latchkey.bench.Stats.f;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.app.security.DevTokenCommand;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What every row shares: the plan, the report, the server under test (and how to call it), the stub provider, the
 * environment the server is configured by, and caller tokens minted with its JWT secret.
 */
final class Stage {

    static final String APPLICATION = "7f3c2a10-5b4e-4d6f-9a8b-1c2d3e4f5a6b";
    static final String PROVIDER = "bench";
    static final String LIST_WORKSPACE = "ws-list";
    static final String REFRESH_WORKSPACE = "ws-refresh";
    static final String STORE_WORKSPACE = "ws-store";
    static final String WRITE_WORKSPACE = "ws-write";
    static final String PERSON = "uw-bench";

    final Plan plan;
    final Path work;
    final Report report = new Report();
    final Map<String, String> environment = new LinkedHashMap<>();
    final int port;
    final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final byte[] jwtSecret;
    ServerProcess server;
    Calls calls;
    StubProvider provider;

    Stage(Plan plan, Path work) throws IOException {
        this.plan = plan;
        this.work = work;
        SecureRandom random = new SecureRandom();
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        this.jwtSecret = Base64.getEncoder().encodeToString(secret).getBytes(StandardCharsets.UTF_8);
        byte[] masterKey = new byte[32];
        random.nextBytes(masterKey);
        this.port = freePort();
        environment.put("LATCHKEY_DATA_DIR", work.resolve("data").toString());
        environment.put("LATCHKEY_JWT_SECRET", new String(jwtSecret, StandardCharsets.UTF_8));
        environment.put("LATCHKEY_MASTER_KEYS", "bench:" + Base64.getEncoder().encodeToString(masterKey));
        environment.put("LATCHKEY_ALLOW_INSECURE_LOOPBACK", "true");
        // the benchmark calls the scheduler's refreshDue() itself, at known moments
        environment.put("LATCHKEY_SCHEDULED_REFRESH_INTERVAL", "0s");
        environment.put("LATCHKEY_PUBLIC_URL", "http://127.0.0.1:" + port);
    }

    /** The bench server's environment: Latchkey's, and its statement counter on. */
    Map<String, String> benchEnvironment() {
        Map<String, String> bench = new LinkedHashMap<>(environment);
        bench.put("BENCH_COUNT_STATEMENTS", "true");
        return bench;
    }

    String token(Map<String, String> claims) {
        return token(claims, Instant.now());
    }

    /** A caller token issued at {@code now}: the application's time, once a benchmark has moved its clock. */
    String token(Map<String, String> claims, Instant now) {
        Map<String, String> options = new LinkedHashMap<>(claims);
        options.put("ttl", "PT3H");
        return DevTokenCommand.mint(options, jwtSecret, now);
    }

    static HttpRequest get(String url, String token) {
        return HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json")
                .timeout(Duration.ofSeconds(30))
                .GET()
                .build();
    }

    JsonNode meter() throws Exception {
        return calls.bench("GET", "/meter");
    }

    /** Seeds {@code count} active connections of the bench provider in a workspace, owned by {@link #PERSON}. */
    JsonNode seed(String workspace, int count, Duration expiresIn) throws Exception {
        return calls.bench(
                "POST",
                "/connections",
                "workspace",
                workspace,
                "person",
                PERSON,
                "application",
                APPLICATION,
                "provider",
                PROVIDER,
                "count",
                count,
                "expiresInSeconds",
                expiresIn.toSeconds());
    }

    /** The app the benchmarks use: one provider whose token endpoint is the stub, its client id and secret set. */
    void install() throws Exception {
        String admin = token(Map.of("sub", "bench-admin", "scope", "apps:admin"));
        Map<String, Object> oauth = new LinkedHashMap<>();
        oauth.put("authorizationEndpoint", provider.url() + "/authorize");
        oauth.put("tokenEndpoint", provider.url() + "/token");
        oauth.put("scopes", List.of("read", "write"));
        oauth.put("clientIdVariable", "BENCH_CLIENT_ID");
        oauth.put("clientSecretVariable", "BENCH_CLIENT_SECRET");
        oauth.put("tokenRequestContentType", "form-urlencoded");
        oauth.put("clientAuthentication", "client_secret_post");
        oauth.put("usePkce", false);
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("universalIdentifier", APPLICATION);
        manifest.put("displayName", "Bench");
        manifest.put("description", "The benchmarks' application.");
        manifest.put(
                "serverVariables",
                Map.of(
                        "BENCH_CLIENT_ID", Map.of("description", "client id", "isSecret", false, "isRequired", true),
                        "BENCH_CLIENT_SECRET",
                                Map.of("description", "client secret", "isSecret", true, "isRequired", true)));
        manifest.put(
                "connectionProviders",
                List.of(Map.of(
                        "universalIdentifier",
                        UUID.randomUUID().toString(),
                        "name",
                        PROVIDER,
                        "displayName",
                        "Bench",
                        "type",
                        "oauth",
                        "oauth",
                        oauth)));
        calls.api("PUT", "/v1/applications/" + APPLICATION, admin, manifest);
        calls.api(
                "PUT",
                "/v1/applications/" + APPLICATION + "/server-variables/BENCH_CLIENT_ID",
                admin,
                Map.of("value", "bench-client"));
        calls.api(
                "PUT",
                "/v1/applications/" + APPLICATION + "/server-variables/BENCH_CLIENT_SECRET",
                admin,
                Map.of("value", "bench-secret"));
        JsonNode application = calls.api("GET", "/v1/applications/" + APPLICATION, admin, null);
        if (!application.toString().contains("\"ready\"")) {
            throw new IllegalStateException("the bench provider is not ready: " + application);
        }
    }

    static boolean externalDatabase() {
        String url = System.getenv("SPRING_DATASOURCE_URL");
        return url != null && !url.isBlank();
    }

    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "?";
        }
    }

    static void progress(String message) {
        System.err.println(f("[%tT] %s", java.time.LocalTime.now(), message));
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
