package dev.latchkey.bench;

import static dev.latchkey.bench.Stats.f;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.app.security.DevTokenCommand;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The soak of issue 11: two Latchkey nodes on one PostgreSQL (run here), a rotating authorization server, a mixed
 * load for several minutes, one node killed with SIGKILL and restarted at a third, PostgreSQL stopped and started
 * again at two thirds; then every grant the provider issued and every event in the store accounted for. Started by
 * {@code bench/soak}; prints one table, also written to {@code bench/target/soak/results.md}.
 */
public final class Soak {

    static final String APPLICATION = "5a0c6b1e-2f3d-4e5f-8a9b-0c1d2e3f4a5b";
    static final String PROVIDER = "soak";
    static final String WORKSPACE = "ws-soak";
    static final List<String> PEOPLE = List.of("uw-ana", "uw-ben", "uw-cho", "uw-dia");
    static final Duration TOKEN_LIFETIME = Duration.ofSeconds(90);
    static final Duration PROVIDER_DELAY = Duration.ofMillis(40);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
    /** How long a node may take to start (two cores shared with other builds: minutes, at times). */
    static final Duration READY_TIMEOUT = Duration.ofMinutes(5);
    /** A token handed out with less than this left is counted as not fresh (refresh-ahead is 60 s; 5 s of slack). */
    static final Duration FRESH = Duration.ofSeconds(55);

    static final List<String> OPERATIONS = List.of(
            "list with credentials",
            "forced refresh",
            "rename",
            "connect: start (POST)",
            "connect: authorize (browser)",
            "connect: callback (browser)",
            "disconnect");

    record Plan(Duration load, int workers, int population, Duration think, Duration dbDown, boolean quick) {
        static Plan of(List<String> args) {
            boolean quick = args.contains("--quick");
            double minutes = quick ? 1 : 5;
            int at = args.indexOf("--minutes");
            if (at >= 0 && at + 1 < args.size()) {
                minutes = Double.parseDouble(args.get(at + 1));
            }
            if (minutes <= 0 || minutes > 10) {
                throw new IllegalArgumentException("--minutes must be in (0, 10] (the nodes stop themselves after 45 minutes)");
            }
            return new Plan(
                    Duration.ofSeconds(Math.round(minutes * 60)),
                    6,
                    quick ? 16 : 32,
                    Duration.ofMillis(20),
                    Duration.ofSeconds(5),
                    quick);
        }
    }

    /** A connection the driver knows to be active, and whose it is. */
    record Known(String id, String owner) {}

    private final Plan plan;
    private final Path work;
    private final byte[] jwtSecret;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final int[] ports = new int[2];
    private final ServerProcess[] nodes = new ServerProcess[2];
    private final String publicUrl;
    private final SoakDatabase database;
    private final RotatingProvider provider;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, String> writeTokens = new HashMap<>();
    private final Map<String, String> functionTokens = new HashMap<>();
    private final Map<String, Known> live = new ConcurrentHashMap<>();
    private final Map<String, String> familyConnection = new ConcurrentHashMap<>(); // code → connection
    private final Map<String, String> ownerOf = new ConcurrentHashMap<>();
    private final AtomicLong names = new AtomicLong();
    private final Map<String, AtomicLong> tokenChecks = new ConcurrentHashMap<>();
    private final List<String> timeline = new CopyOnWriteArrayList<>();
    private final List<String[]> faults = new CopyOnWriteArrayList<>();
    private final List<String> notes = new CopyOnWriteArrayList<>();
    private final long startNanos = System.nanoTime();
    private SoakTally tally;
    private long loadStartNanos;
    private long loadStartMillis;
    private volatile long stopAt;
    private volatile boolean nodeGone; // node 2 did not come back
    private volatile long killMillis;
    private final AtomicLong longestSinceRevoke = new AtomicLong(-1);

    private Soak(Plan plan, Path work) throws IOException {
        this.plan = plan;
        this.work = work;
        SecureRandom random = new SecureRandom();
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        jwtSecret = Base64.getEncoder().encodeToString(secret).getBytes(StandardCharsets.UTF_8);
        byte[] masterKey = new byte[32];
        random.nextBytes(masterKey);
        ports[0] = freePort();
        ports[1] = freePort();
        // the address a load balancer in front of both nodes would have: nothing listens there, the driver's
        // "browser" sends whatever is addressed to it to one of the nodes, picked at random
        publicUrl = "http://127.0.0.1:" + freePort();
        database = new SoakDatabase(work.resolve("postgres"), work.resolve("postgres.log"), freePort());
        provider = RotatingProvider.start(TOKEN_LIFETIME, PROVIDER_DELAY);
        environment.put("SPRING_DATASOURCE_URL", database.jdbcUrl());
        environment.put("SPRING_DATASOURCE_USERNAME", SoakDatabase.USER);
        environment.put("SPRING_DATASOURCE_PASSWORD", "");
        environment.put("LATCHKEY_JWT_SECRET", new String(jwtSecret, StandardCharsets.UTF_8));
        environment.put("LATCHKEY_MASTER_KEYS", "soak:" + Base64.getEncoder().encodeToString(masterKey));
        environment.put("LATCHKEY_ALLOW_INSECURE_LOOPBACK", "true");
        environment.put("LATCHKEY_PUBLIC_URL", publicUrl);
        for (String person : PEOPLE) {
            writeTokens.put(
                    person,
                    token(Map.of(
                            "sub",
                            person,
                            "wid",
                            WORKSPACE,
                            "uwid",
                            person,
                            "scope",
                            "connections:write connections:read")));
            functionTokens.put(
                    person,
                    token(Map.of(
                            "sub",
                            "soak-function",
                            "wid",
                            WORKSPACE,
                            "uwid",
                            person,
                            "app",
                            APPLICATION,
                            "trigger",
                            "http-route",
                            "scope",
                            "connections:credentials")));
        }
    }

    public static void main(String[] args) throws Exception {
        // the driver's own libraries (zonky) log through logback, unconfigured here: its default would be DEBUG
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        Plan plan = Plan.of(List.of(args));
        Path work = Path.of("bench", "target", "soak").toAbsolutePath();
        deleteRecursively(work);
        Files.createDirectories(work);
        Soak soak = new Soak(plan, work);
        String report;
        try {
            report = soak.run();
        } catch (Exception e) {
            e.printStackTrace();
            report = soak.header() + "\n**The soak did not finish**: " + e + "\n";
        } finally {
            soak.shutdown();
        }
        Files.writeString(work.resolve("results.md"), report);
        System.out.println();
        System.out.println(report);
        System.out.println("(also written to " + work.resolve("results.md") + ")");
        System.exit(0);
    }

    // --- the run -----------------------------------------------------------------------------------------------

    private String run() throws Exception {
        progress(f("PostgreSQL: starting in %s", work.resolve("postgres")));
        database.start();
        progress("PostgreSQL " + database.version() + " up; starting node 1 and node 2");
        nodes[0] = ServerProcess.start(work.resolve("node-1.log"), ports[0], environment, READY_TIMEOUT);
        progress(f("node 1 ready after %.1f s", nodes[0].readySeconds()));
        nodes[1] = ServerProcess.start(work.resolve("node-2.log"), ports[1], environment, READY_TIMEOUT);
        progress(f("node 2 ready after %.1f s", nodes[1].readySeconds()));
        install();
        progress("seeding " + plan.population() + " connections");
        tally = new SoakTally(System.nanoTime(), 1); // seeding is not counted
        for (int i = 0; i < plan.population() && i < 500; i++) {
            String person = PEOPLE.get(i % PEOPLE.size());
            if (!connect(person)) {
                notes.add("a seed connection failed to connect");
            }
        }
        progress(live.size() + " connections active; load for " + plan.load().toSeconds() + " s with "
                + plan.workers() + " workers");

        int seconds = (int) plan.load().toSeconds() + 600;
        loadStartNanos = System.nanoTime();
        loadStartMillis = System.currentTimeMillis();
        tally = new SoakTally(loadStartNanos, seconds);
        long end = loadStartNanos + plan.load().toNanos();
        // the load goes on at least 20 s past the last fault's recovery, however slow the restarts are
        stopAt = end + Duration.ofMinutes(10).toNanos();
        ExecutorService workers = Executors.newFixedThreadPool(plan.workers() + 1);
        for (int i = 0; i < plan.workers(); i++) {
            workers.submit(this::work);
        }
        workers.submit(this::watchHealth);
        try {
            faults(end);
        } finally {
            stopAt = System.nanoTime();
            workers.shutdown();
            if (!workers.awaitTermination(REQUEST_TIMEOUT.toSeconds() * 4 + 30, TimeUnit.SECONDS)) {
                notes.add("the workers did not stop in time");
                workers.shutdownNow();
            }
        }
        double loadSeconds = (System.nanoTime() - loadStartNanos) / 1e9;
        int lastSecond = (int) Math.ceil(loadSeconds);
        progress(f("load stopped after %.0f s; settling", loadSeconds));
        String settle = settle();
        progress("accounting for every grant and every event");
        String grants = accountForGrants();
        String events = checkEvents();

        StringBuilder out = new StringBuilder(header());
        out.append(f("- load: %.0f s, %d workers, each request to a random node, %d ms between a worker's requests\n",
                loadSeconds, plan.workers(), plan.think().toMillis()));
        out.append("- settling: ").append(settle).append("\n\n");
        out.append("### Requests by operation and class\n\n").append(tally.table(OPERATIONS)).append('\n');
        out.append("Seconds with requests not answered 2xx (runs of them; the faults' times are below):\n\n");
        for (String window : tally.failureWindows(lastSecond)) {
            out.append("- ").append(window).append('\n');
        }
        out.append("\n### Faults and time back to healthy\n\n| fault | at | back to healthy | detail |\n|---|---|---|---|\n");
        for (String[] fault : faults) {
            out.append("| ").append(String.join(" | ", fault)).append(" |\n");
        }
        out.append("\nHealth as polled once a second (`/actuator/health`), changes only:\n\n");
        timeline.forEach(line -> out.append("- ").append(line).append('\n'));
        out.append("\n### Access tokens handed out (list and forced refresh answers)\n\n");
        new TreeMap<>(tokenChecks).forEach((k, v) -> out.append(f("- %s: %d\n", k, v.get())));
        if (longestSinceRevoke.get() >= 0) {
            out.append(f("- a revoked token arrived at most %d ms after its revocation at the provider\n",
                    longestSinceRevoke.get()));
        }
        out.append("\n### Grants issued by the provider\n\n").append(grants);
        out.append("\n### Events\n\n").append(events);
        if (!notes.isEmpty()) {
            out.append("\n### Notes\n\n");
            notes.forEach(n -> out.append("- ").append(n).append('\n'));
        }
        out.append(f("\nwhole run %.0f s; load average at the end %s\n", (System.nanoTime() - startNanos) / 1e9,
                loadAverage()));
        return out.toString();
    }

    private String header() {
        return f(
                "## Soak %s\n\n- commit %s; %s\n- %d cores (%s), Java %s; load average at the start %s\n"
                        + "- two nodes (ports %d, %d) on one PostgreSQL (port %d), provider tokens valid %d s,"
                        + " provider answering after %d ms\n",
                plan.quick() ? "(QUICK: a harness check, not for publishing)" : "",
                System.getProperty("soak.commit", "?"),
                Instant.now(),
                Runtime.getRuntime().availableProcessors(),
                cpu(),
                System.getProperty("java.version"),
                System.getProperty("soak.load-at-start", loadAverage()),
                ports[0],
                ports[1],
                databasePort(),
                TOKEN_LIFETIME.toSeconds(),
                PROVIDER_DELAY.toMillis());
    }

    private int databasePort() {
        return URI.create(database.jdbcUrl().substring("jdbc:".length())).getPort();
    }

    // --- faults --------------------------------------------------------------------------------------------------

    private void faults(long end) throws Exception {
        long third = plan.load().toNanos() / 3;
        sleepUntil(loadStartNanos + third);
        // SIGKILL node 2 and start it again on the same database
        double at = elapsed();
        long killed = System.nanoTime();
        killMillis = System.currentTimeMillis();
        nodes[1].kill();
        progress(f("t=%.0f s: node 2 killed (SIGKILL)", at));
        String detail;
        String healthy;
        try {
            nodes[1] = ServerProcess.start(work.resolve("node-2-restarted.log"), ports[1], environment, READY_TIMEOUT);
            double up = (System.nanoTime() - killed) / 1e9;
            double write = firstWrite(1, Duration.ofSeconds(60));
            healthy = f("%.1f s", up);
            detail = f(
                    "restarted at once: health 200 %.1f s after the kill (JVM start to ready %.1f s); first rename"
                            + " through it answered 2xx %s",
                    up,
                    nodes[1].readySeconds(),
                    write < 0 ? "never (60 s)" : f("%.1f s after the kill", write - killed / 1e9));
        } catch (Exception e) {
            healthy = "never";
            nodeGone = true;
            String message = String.valueOf(e.getMessage());
            detail = "the restart failed: " + message.substring(0, Math.min(200, message.length()));
        }
        faults.add(new String[] {"node 2 killed with SIGKILL, restarted at once", f("t=%.0f s", at), healthy, detail});
        progress("node 2: " + detail);

        // the second fault once the first is over (15 s of calm at least), whatever the restart took
        sleepUntil(Math.max(loadStartNanos + 2 * third, System.nanoTime() + Duration.ofSeconds(15).toNanos()));
        at = elapsed();
        long stopped = System.nanoTime();
        double stopSeconds = database.stop();
        progress(f("t=%.0f s: PostgreSQL stopped (%.1f s); down for %d s", at, stopSeconds, plan.dbDown().toSeconds()));
        Thread.sleep(plan.dbDown().toMillis());
        double startSeconds = database.start();
        long started = System.nanoTime();
        // both nodes watched at once: health 200, then a write through it
        double[] healthyAfter = {-1, -1};
        double[] writeAfter = {-1, -1};
        Thread[] watchers = new Thread[2];
        for (int n = 0; n < 2; n++) {
            int node = n;
            watchers[n] = new Thread(() -> {
                try {
                    healthyAfter[node] = healthy(node, Duration.ofSeconds(180));
                    writeAfter[node] = firstWrite(node, Duration.ofSeconds(60));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            watchers[n].start();
        }
        for (Thread watcher : watchers) {
            watcher.join(Duration.ofSeconds(300).toMillis());
        }
        String both = healthyAfter[0] < 0 || healthyAfter[1] < 0
                ? "not within 180 s"
                : f("%.1f s after the start", Math.max(healthyAfter[0], healthyAfter[1]) - started / 1e9);
        String db = f(
                "stop took %.1f s (fast shutdown: sessions ended), down %.1f s in all, start took %.1f s; after the"
                        + " start: node 1 health 200 after %s, node 2 after %s; first rename 2xx through node 1 after"
                        + " %s, node 2 after %s",
                stopSeconds,
                (started - stopped) / 1e9,
                startSeconds,
                seconds(healthyAfter[0], started),
                seconds(healthyAfter[1], started),
                seconds(writeAfter[0], started),
                seconds(writeAfter[1], started));
        faults.add(new String[] {"PostgreSQL stopped and started again", f("t=%.0f s", at), both, db});
        progress("PostgreSQL: " + db);
        sleepUntil(Math.max(end, System.nanoTime() + Duration.ofSeconds(20).toNanos()));
    }

    /** Seconds since {@code from} at the moment {@code atSeconds} (nanoTime/1e9), or "never". */
    private static String seconds(double atSeconds, long from) {
        return atSeconds < 0 ? "never" : f("%.1f s", atSeconds - from / 1e9);
    }

    /** Polls a node's health until 200; answers the moment (nanoTime in seconds), or -1. */
    private double healthy(int node, Duration within) throws InterruptedException {
        if (node == 1 && nodeGone) {
            return -1;
        }
        long deadline = System.nanoTime() + within.toNanos();
        for (int i = 0; i < 10_000 && System.nanoTime() < deadline; i++) {
            if (health(node) == 200) {
                return System.nanoTime() / 1e9;
            }
            Thread.sleep(100);
        }
        return -1;
    }

    /** Renames a live connection through one node until it answers 2xx; answers the moment, or -1. */
    private double firstWrite(int node, Duration within) throws InterruptedException {
        if (node == 1 && nodeGone) {
            return -1;
        }
        long deadline = System.nanoTime() + within.toNanos();
        for (int i = 0; i < 10_000 && System.nanoTime() < deadline; i++) {
            Known target = anyLive();
            if (target != null) {
                try {
                    HttpResponse<String> answer = send(
                            node,
                            "PATCH",
                            "/v1/connections/" + target.id(),
                            writeTokens.get(target.owner()),
                            Map.of("name", "probe-" + names.incrementAndGet()));
                    if (answer.statusCode() / 100 == 2) {
                        return System.nanoTime() / 1e9;
                    }
                } catch (IOException e) {
                    // not yet
                }
            }
            Thread.sleep(100);
        }
        return -1;
    }

    private void watchHealth() {
        int[] last = {0, 0};
        for (int i = 0; i < 100_000 && System.nanoTime() < stopAt; i++) {
            for (int node = 0; node < 2; node++) {
                int status = health(node);
                if (status != last[node]) {
                    timeline.add(f(
                            "t=%.1f s node %d: %s", elapsed(), node + 1, status < 0 ? "unreachable" : "HTTP " + status));
                    last[node] = status;
                }
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private int health(int node) {
        try {
            return http.send(
                            HttpRequest.newBuilder(URI.create(base(node) + "/actuator/health"))
                                    .timeout(Duration.ofSeconds(3))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    // --- the load ----------------------------------------------------------------------------------------------

    private void work() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (long i = 0; i < 10_000_000L && System.nanoTime() < stopAt; i++) {
            try {
                int roll = random.nextInt(100);
                int size = live.size();
                if (roll < 40) {
                    list(random);
                } else if (roll < 55) {
                    refresh(random);
                } else if (roll < 75) {
                    rename(random);
                } else if ((roll < 87 && size < plan.population() * 3 / 2) || size < plan.population() / 2) {
                    connect(PEOPLE.get(random.nextInt(PEOPLE.size())));
                } else {
                    disconnect();
                }
                Thread.sleep(plan.think().toMillis());
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                notes.add("a worker's step failed: " + e);
            }
        }
    }

    private void list(ThreadLocalRandom random) throws Exception {
        String person = PEOPLE.get(random.nextInt(PEOPLE.size()));
        JsonNode answer =
                call("list with credentials", "GET", "/v1/connections?providerName=" + PROVIDER, functionTokens.get(person), null);
        if (answer != null) {
            for (JsonNode item : answer.path("items")) {
                if ("active".equals(item.path("status").asText())) {
                    checkToken(item.path("accessToken").asText(null));
                }
            }
        }
    }

    private void refresh(ThreadLocalRandom random) throws Exception {
        Known target = anyLive();
        if (target == null) {
            return;
        }
        JsonNode answer = call(
                "forced refresh",
                "POST",
                "/v1/connections/" + target.id() + "/refresh",
                functionTokens.get(target.owner()),
                null,
                target);
        if (answer != null) {
            checkToken(answer.path("accessToken").asText(null));
        }
    }

    private void rename(ThreadLocalRandom random) throws Exception {
        Known target = anyLive();
        if (target != null) {
            call(
                    "rename",
                    "PATCH",
                    "/v1/connections/" + target.id(),
                    writeTokens.get(target.owner()),
                    Map.of("name", "soak-" + names.incrementAndGet()),
                    target);
        }
    }

    private void disconnect() throws Exception {
        Known target = anyLive();
        if (target == null || live.remove(target.id()) == null) {
            return; // another worker took it
        }
        JsonNode answer =
                call("disconnect", "DELETE", "/v1/connections/" + target.id(), writeTokens.get(target.owner()), null);
        if (answer == null) {
            live.putIfAbsent(target.id(), target); // not known to be gone: it stays a target (a 404 removes it)
        }
    }

    /** POST /v1/connections, then what a browser does with authorizeUrl. True when the callback said Connected. */
    private boolean connect(String person) throws Exception {
        JsonNode started = call(
                "connect: start (POST)",
                "POST",
                "/v1/connections",
                writeTokens.get(person),
                Map.of(
                        "applicationId",
                        APPLICATION,
                        "providerName",
                        PROVIDER,
                        "visibility",
                        ThreadLocalRandom.current().nextBoolean() ? "user" : "workspace",
                        "name",
                        "soak-" + names.incrementAndGet()));
        if (started == null) {
            return false;
        }
        String id = started.path("connectionId").asText();
        ownerOf.put(id, person);
        // the authorize endpoint: a cookie for this browser, then the provider's consent page
        HttpResponse<String> authorize = browse("connect: authorize (browser)", started.path("authorizeUrl").asText(), null);
        if (authorize == null || authorize.statusCode() != 302) {
            return false;
        }
        String cookie = authorize.headers().firstValue("Set-Cookie").map(c -> c.split(";", 2)[0]).orElse(null);
        String consent = authorize.headers().firstValue("Location").orElseThrow();
        if (!consent.startsWith(provider.url())) {
            throw new IllegalStateException("the authorize endpoint sent the browser elsewhere: " + consent);
        }
        HttpResponse<String> approved = http.send(
                HttpRequest.newBuilder(URI.create(consent)).timeout(REQUEST_TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
        String callback = approved.headers().firstValue("Location").orElseThrow();
        String code = RotatingProvider.parse(URI.create(callback).getRawQuery()).get("code");
        familyConnection.put(code, id);
        HttpResponse<String> done = browse("connect: callback (browser)", callback, cookie);
        if (done != null && done.statusCode() == 200) {
            live.put(id, new Known(id, person));
            return true;
        }
        return false;
    }

    /** A GET as a browser sends it, to whichever node the load balancer picks; tallied. */
    private HttpResponse<String> browse(String operation, String url, String cookie) throws InterruptedException {
        if (!url.startsWith(publicUrl)) {
            throw new IllegalStateException("not an address of Latchkey: " + url);
        }
        int node = ThreadLocalRandom.current().nextInt(2);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base(node) + url.substring(publicUrl.length())))
                .timeout(REQUEST_TIMEOUT);
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        try {
            HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            int status = answer.statusCode();
            tally.count(operation, status == 302 || status == 200 ? SoakTally.OK : SoakTally.classOf(status, answer.body()));
            return answer;
        } catch (IOException e) {
            tally.count(operation, SoakTally.classOf(e));
            return null;
        }
    }

    private JsonNode call(String operation, String method, String path, String token, Object body) throws Exception {
        return call(operation, method, path, token, body, null);
    }

    /** An API call to a random node, tallied; the JSON answer when 2xx, else null. A 404 drops the target. */
    private JsonNode call(String operation, String method, String path, String token, Object body, Known target)
            throws Exception {
        int node = ThreadLocalRandom.current().nextInt(2);
        HttpResponse<String> answer;
        try {
            answer = send(node, method, path, token, body);
        } catch (IOException e) {
            tally.count(operation, SoakTally.classOf(e));
            return null;
        }
        String outcome = SoakTally.classOf(answer.statusCode(), answer.body());
        tally.count(operation, outcome);
        if (answer.statusCode() == 404 && target != null) {
            live.remove(target.id());
        }
        if (!SoakTally.OK.equals(outcome)) {
            return null;
        }
        return answer.body().isEmpty() ? json.nullNode() : json.readTree(answer.body());
    }

    private HttpResponse<String> send(int node, String method, String path, String token, Object body)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base(node) + path))
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .timeout(REQUEST_TIMEOUT)
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** What the provider says of an access token Latchkey handed out, at the moment it arrived. */
    private void checkToken(String accessToken) {
        RotatingProvider.Grant grant = provider.grantOfAccessToken(accessToken);
        long now = System.currentTimeMillis();
        String verdict;
        if (grant == null) {
            verdict = accessToken == null ? "active connection answered without an access token" : "unknown to the provider";
        } else if (grant.expiresAtMillis <= now) {
            verdict = "EXPIRED at the provider";
        } else if (grant.revokedAtMillis != 0) {
            verdict = "revoked at the provider (its connection being disconnected)";
            longestSinceRevoke.accumulateAndGet(now - grant.revokedAtMillis, Math::max);
        } else if (grant.expiresAtMillis - now < FRESH.toMillis()) {
            verdict = "valid but under " + FRESH.toSeconds() + " s left (not fresh)";
        } else {
            verdict = "valid with " + FRESH.toSeconds() + " s or more left";
        }
        tokenChecks.computeIfAbsent(verdict, v -> new AtomicLong()).incrementAndGet();
    }

    private Known anyLive() {
        List<Known> all = new ArrayList<>(live.values());
        return all.isEmpty() ? null : all.get(ThreadLocalRandom.current().nextInt(all.size()));
    }

    // --- setup ---------------------------------------------------------------------------------------------------

    private void install() throws Exception {
        String admin = token(Map.of("sub", "soak-admin", "scope", "apps:admin"));
        Map<String, Object> oauth = new LinkedHashMap<>();
        oauth.put("authorizationEndpoint", provider.url() + "/authorize");
        oauth.put("tokenEndpoint", provider.url() + "/token");
        oauth.put("revokeEndpoint", provider.url() + "/revoke");
        oauth.put("scopes", List.of("read", "write"));
        oauth.put("clientIdVariable", "SOAK_CLIENT_ID");
        oauth.put("clientSecretVariable", "SOAK_CLIENT_SECRET");
        oauth.put("tokenRequestContentType", "form-urlencoded");
        oauth.put("clientAuthentication", "client_secret_post");
        oauth.put("usePkce", false);
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("universalIdentifier", APPLICATION);
        manifest.put("displayName", "Soak");
        manifest.put("description", "The soak's application.");
        manifest.put(
                "serverVariables",
                Map.of(
                        "SOAK_CLIENT_ID", Map.of("description", "client id", "isSecret", false, "isRequired", true),
                        "SOAK_CLIENT_SECRET", Map.of("description", "client secret", "isSecret", true, "isRequired", true)));
        manifest.put(
                "connectionProviders",
                List.of(Map.of(
                        "universalIdentifier", UUID.randomUUID().toString(),
                        "name", PROVIDER,
                        "displayName", "Soak",
                        "type", "oauth",
                        "oauth", oauth)));
        expect2xx(send(0, "PUT", "/v1/applications/" + APPLICATION, admin, manifest));
        expect2xx(send(
                1,
                "PUT",
                "/v1/applications/" + APPLICATION + "/server-variables/SOAK_CLIENT_ID",
                admin,
                Map.of("value", RotatingProvider.CLIENT_ID)));
        expect2xx(send(
                0,
                "PUT",
                "/v1/applications/" + APPLICATION + "/server-variables/SOAK_CLIENT_SECRET",
                admin,
                Map.of("value", RotatingProvider.CLIENT_SECRET)));
        String application = expect2xx(send(1, "GET", "/v1/applications/" + APPLICATION, admin, null));
        if (!application.contains("\"ready\"")) {
            throw new IllegalStateException("the soak provider is not ready: " + application);
        }
    }

    private static String expect2xx(HttpResponse<String> answer) {
        if (answer.statusCode() / 100 != 2) {
            throw new IllegalStateException(answer.request().method() + " " + answer.request().uri().getPath()
                    + " answered " + answer.statusCode() + ": " + answer.body());
        }
        return answer.body();
    }

    // --- the end: settle, then account -------------------------------------------------------------------------

    /**
     * After the load: the provider now issues tokens valid for an hour, and the scheduler (every 30 s) and the views
     * get time to finish what is under way. Done when no grant was issued for 35 s and every view is level with the
     * store, or after 4 minutes.
     */
    private String settle() throws Exception {
        provider.setTokenLifetime(Duration.ofHours(1));
        long start = System.nanoTime();
        long deadline = start + Duration.ofMinutes(4).toNanos();
        long lastCount = -1;
        long quietSince = System.nanoTime();
        for (int i = 0; i < 1000 && System.nanoTime() < deadline; i++) {
            long count = provider.grants().size();
            if (count != lastCount) {
                lastCount = count;
                quietSince = System.nanoTime();
            }
            boolean quiet = System.nanoTime() - quietSince > Duration.ofSeconds(35).toNanos();
            if (quiet && viewsBehind() == 0) {
                return f("%.0f s (no grant issued for 35 s, the views level with the store)", (System.nanoTime() - start) / 1e9);
            }
            Thread.sleep(1000);
        }
        return f("NOT settled after %.0f s (grants still being issued, or a view behind the store)",
                (System.nanoTime() - start) / 1e9);
    }

    private long viewsBehind() throws Exception {
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(
                        "select count(*) from (select aggregate_identifier id, max(sequence_number) m from"
                                + " domain_event_entry where type = 'Connection' group by 1) s"
                                + " left join connection_view v on v.connection_id = s.id"
                                + " left join connection_view_revoked r on r.connection_id = s.id"
                                + " where coalesce(v.last_sequence, r.last_sequence, -1) <> s.m")) {
            result.next();
            return result.getLong(1);
        }
    }

    /** Every grant the provider issued: what became of it. */
    private String accountForGrants() throws Exception {
        Map<String, String> status = new HashMap<>(); // connection → active, auth-failed, pending, revoked
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement()) {
            try (ResultSet rows = statement.executeQuery("select connection_id, status from connection_view")) {
                while (rows.next()) {
                    status.put(rows.getString(1), rows.getString(2));
                }
            }
            try (ResultSet rows = statement.executeQuery("select connection_id from connection_view_revoked")) {
                while (rows.next()) {
                    status.put(rows.getString(1), "revoked");
                }
            }
        }
        // the current access token of every active connection, as a logic function gets it; repeated if a grant
        // was issued meanwhile (the scheduler), so the picture is of one moment
        Map<String, Long> current = new HashMap<>();
        String consistency = "";
        for (int attempt = 1; attempt <= 5; attempt++) {
            long before = provider.grants().size();
            current.clear();
            int unread = 0;
            for (Map.Entry<String, String> row : status.entrySet()) {
                if (!"active".equals(row.getValue())) {
                    continue;
                }
                String owner = ownerOf.get(row.getKey());
                HttpResponse<String> answer;
                try {
                    answer = owner == null
                            ? null
                            : send(nodeGone ? 0 : attempt % 2, "GET", "/v1/connections/" + row.getKey(),
                                    functionTokens.get(owner), null);
                } catch (IOException e) {
                    answer = null;
                }
                RotatingProvider.Grant grant = answer == null || answer.statusCode() != 200
                        ? null
                        : provider.grantOfAccessToken(json.readTree(answer.body()).path("accessToken").asText(null));
                if (grant == null) {
                    unread++;
                } else {
                    current.put(row.getKey(), grant.number);
                }
            }
            long after = provider.grants().size();
            consistency = f("read on attempt %d (%d grants issued during it; %d active connections whose token could"
                    + " not be read)", attempt, after - before, unread);
            if (before == after) {
                break;
            }
        }
        Set<Long> currentGrants = new HashSet<>(current.values());
        Map<Long, String> families = new HashMap<>();
        Set<String> codesSeen = familyConnection.keySet();
        for (String code : codesSeen) {
            Long family = provider.familyOfCode(code);
            if (family != null) {
                families.put(family, familyConnection.get(code));
            }
        }
        Map<String, Long> outcomes = new TreeMap<>();
        List<String> lost = new ArrayList<>();
        long issued = 0;
        long issuedByRefresh = 0;
        long undelivered = 0;
        for (RotatingProvider.Grant grant : provider.grants()) {
            issued++;
            if (grant.parent != null) {
                issuedByRefresh++;
            }
            if (!grant.delivered) {
                undelivered++;
            }
            String connection = families.get(grant.family);
            String state = connection == null ? "unknown" : status.getOrDefault(connection, "not in any view");
            String outcome;
            if (grant.presentedAtMillis != 0) {
                outcome = "recorded, then its refresh token used once for the next refresh";
            } else if (currentGrants.contains(grant.number)) {
                outcome = "recorded, the current token of an active connection";
            } else if (grant.revokedAtMillis != 0 && "revoked".equals(state)) {
                outcome = "revoked at the provider when its connection was disconnected";
            } else if (grant.revokedAtMillis != 0) {
                outcome = "revoked at the provider, its connection " + state + " (a grant Latchkey could not record)";
            } else {
                outcome = "LOST: neither used, current nor revoked (connection " + state + ")";
                lost.add(f("grant %d (family %d, %s, issued t=%.1f s = %+.2f s from the SIGKILL, answer %s, connection %s %s)",
                        grant.number, grant.family, grant.parent == null ? "code exchange" : "refresh of grant " + grant.parent,
                        (grant.issuedAtMillis - loadStartMillis) / 1000.0,
                        (grant.issuedAtMillis - killMillis) / 1000.0,
                        grant.delivered ? "delivered" : "NOT delivered", connection, state));
            }
            outcomes.merge(outcome, 1L, Long::sum);
        }
        long lostCount = lost.size();
        StringBuilder out = new StringBuilder();
        out.append(f("- issued: %d (%d by code exchange, %d by refresh); answers the provider could not write: %d\n",
                issued, issued - issuedByRefresh, issuedByRefresh, undelivered));
        outcomes.forEach((k, v) -> out.append(f("- %s: %d\n", k, v)));
        out.append(f("- **lost grants: %d**\n", lostCount));
        out.append(f("- **reused refresh tokens seen by the provider: %d**\n", provider.count("refresh: REUSE of a used refresh token")));
        out.append("- the current tokens were ").append(consistency).append('\n');
        Map<String, Long> byState = new TreeMap<>();
        status.values().forEach(s -> byState.merge(s, 1L, Long::sum));
        out.append("- connections at the end: ").append(byState).append('\n');
        out.append("- provider counters: ").append(provider.counters()).append('\n');
        for (String reuse : provider.reuses()) {
            out.append("  - reuse: ").append(reuse).append('\n');
        }
        for (String one : lost.subList(0, Math.min(20, lost.size()))) {
            out.append("  - lost: ").append(one).append('\n');
        }
        return out.toString();
    }

    /** The event store against the connection view: nothing lost, nothing twice, no gap. */
    private String checkEvents() throws Exception {
        StringBuilder out = new StringBuilder();
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement()) {
            long events = single(statement, "select count(*) from domain_event_entry");
            long aggregates = single(statement, "select count(distinct aggregate_identifier) from domain_event_entry");
            long notContiguous = single(
                    statement,
                    "select count(*) from (select aggregate_identifier, count(*) n, count(distinct sequence_number) d,"
                            + " min(sequence_number) lo, max(sequence_number) hi from domain_event_entry group by 1) a"
                            + " where lo <> 0 or hi <> n - 1 or d <> n");
            long connections = single(
                    statement, "select count(distinct aggregate_identifier) from domain_event_entry where type = 'Connection'");
            String mismatch = "select count(*) from (select aggregate_identifier id, max(sequence_number) m from"
                    + " domain_event_entry where type = 'Connection' group by 1) s"
                    + " left join connection_view v on v.connection_id = s.id"
                    + " left join connection_view_revoked r on r.connection_id = s.id where ";
            long behind = single(statement, mismatch + "coalesce(v.last_sequence, r.last_sequence) < s.m");
            long ahead = single(statement, mismatch + "coalesce(v.last_sequence, r.last_sequence) > s.m");
            long missing = single(statement, mismatch + "v.connection_id is null and r.connection_id is null");
            long both = single(statement, mismatch + "v.connection_id is not null and r.connection_id is not null");
            long orphans = single(
                    statement,
                    "select count(*) from connection_view v where not exists (select 1 from domain_event_entry e"
                            + " where e.aggregate_identifier = v.connection_id)");
            long parked = single(statement, "select count(*) from dead_letter_entry");
            out.append(f("- event store: %d events of %d aggregates (%d connections); %d snapshots\n", events, aggregates,
                    connections, single(statement, "select count(*) from snapshot_event_entry")));
            out.append(f("- **aggregates whose sequence numbers are not 0..n-1 without gap or double: %d**\n", notContiguous));
            out.append(f("- **connections whose view is behind the store (events lost to the view): %d**\n", behind + missing));
            out.append(f("  - of which in no view at all: %d; in both the view and the revoked table: %d\n", missing, both));
            out.append(f("- connections whose view is ahead of the store: %d; view rows without events: %d\n", ahead, orphans));
            out.append(f("- events parked in the dead-letter queue: %d\n", parked));
            out.append("- **names applied out of order or twice** (view's name ≠ the last name-bearing event's): ")
                    .append(checkNames(statement))
                    .append('\n');
            try (ResultSet rows = statement.executeQuery("select name, position from projection_position order by 1")) {
                List<String> positions = new ArrayList<>();
                while (rows.next()) {
                    positions.add(rows.getString(1) + " " + rows.getLong(2));
                }
                out.append(f("- projection positions: %s; highest global index %d\n", positions,
                        single(statement, "select coalesce(max(global_index), 0) from domain_event_entry")));
            }
            Map<String, Long> types = new TreeMap<>();
            try (ResultSet rows = statement.executeQuery(
                    "select payload_type, count(*) from domain_event_entry group by 1")) {
                while (rows.next()) {
                    String type = rows.getString(1);
                    types.put(type.substring(type.lastIndexOf('.') + 1), rows.getLong(2));
                }
            }
            out.append("- events by type: ").append(types).append('\n');
        }
        return out.toString();
    }

    /** The name in connection_view against the last AuthorizationStarted or ConnectionRenamed of each connection. */
    private String checkNames(Statement statement) throws Exception {
        Map<String, String> lastName = new HashMap<>();
        try (ResultSet rows = statement.executeQuery(
                "select aggregate_identifier, payload from domain_event_entry where type = 'Connection' and"
                        + " (payload_type like '%.ConnectionRenamed' or payload_type like '%.AuthorizationStarted')"
                        + " order by aggregate_identifier, sequence_number")) {
            while (rows.next()) {
                JsonNode payload = json.readTree(rows.getBytes(2));
                if (payload.hasNonNull("name")) {
                    lastName.put(rows.getString(1), payload.path("name").asText());
                }
            }
        }
        long checked = 0;
        List<String> wrong = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery("select connection_id, name from connection_view")) {
            while (rows.next()) {
                String expected = lastName.get(rows.getString(1));
                if (expected == null) {
                    continue;
                }
                checked++;
                if (!expected.equals(rows.getString(2))) {
                    wrong.add(rows.getString(1) + ": view " + rows.getString(2) + ", events " + expected);
                }
            }
        }
        return f("%d of %d%s", wrong.size(), checked, wrong.isEmpty() ? "" : " " + wrong.subList(0, Math.min(5, wrong.size())));
    }

    private static long single(Statement statement, String sql) throws Exception {
        try (ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    private void shutdown() {
        for (ServerProcess node : nodes) {
            if (node != null) {
                try {
                    node.close();
                } catch (Exception e) {
                    // best effort
                }
            }
        }
        try {
            database.close();
        } catch (Exception e) {
            System.err.println("PostgreSQL did not stop: " + e);
        }
        provider.close();
    }

    private String base(int node) {
        return "http://127.0.0.1:" + ports[node];
    }

    private String token(Map<String, String> claims) {
        Map<String, String> options = new LinkedHashMap<>(claims);
        options.put("ttl", "PT3H");
        return DevTokenCommand.mint(options, jwtSecret, Instant.now());
    }

    private double elapsed() {
        return (System.nanoTime() - loadStartNanos) / 1e9;
    }

    private static void sleepUntil(long nanos) throws InterruptedException {
        long left = nanos - System.nanoTime();
        if (left > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    private static String cpu() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).strip())
                    .findFirst()
                    .orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }

    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "?";
        }
    }

    private void progress(String message) {
        System.err.println(f("[%tT] %s", java.time.LocalTime.now(), message));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
