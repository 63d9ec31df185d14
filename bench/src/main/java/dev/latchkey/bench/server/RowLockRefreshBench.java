package dev.latchkey.bench.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Benchmark 2's peer, a row-lock design: a table of tokens, and each refresh one transaction that takes a due row with
 * {@code SELECT … FOR UPDATE SKIP LOCKED}, holds it across the provider call (the same stub, answering in 100 ms),
 * then writes the new tokens and commits. A pool of its own as large as the application's Hikari pool, and as many
 * workers as the application's scheduler runs.
 */
@Component
class RowLockRefreshBench {

    private static final String TAKE = "SELECT id, refresh_token FROM bench_lock_token WHERE expires_at < ?"
            + " ORDER BY expires_at LIMIT 1 FOR UPDATE SKIP LOCKED";
    private static final String WRITE =
            "UPDATE bench_lock_token SET access_token = ?, refresh_token = ?, expires_at = ? WHERE id = ?";

    private final JdbcTemplate jdbc;
    private final HikariDataSource application;
    private final Meter meter;
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    RowLockRefreshBench(JdbcTemplate jdbc, DataSource dataSource, Meter meter) throws Exception {
        this.jdbc = jdbc;
        this.application = dataSource.unwrap(HikariDataSource.class);
        this.meter = meter;
    }

    /** {@code count} tokens, all due. */
    Map<String, Object> prepare(int count) {
        jdbc.execute("CREATE TABLE IF NOT EXISTS bench_lock_token (id bigint PRIMARY KEY, access_token text NOT NULL,"
                + " refresh_token text NOT NULL, expires_at timestamptz NOT NULL)");
        jdbc.execute("CREATE INDEX IF NOT EXISTS bench_lock_token_due ON bench_lock_token (expires_at)");
        jdbc.update("DELETE FROM bench_lock_token");
        jdbc.update("INSERT INTO bench_lock_token SELECT n, 'access-' || n, 'refresh-' || n, now() - interval '1 hour'"
                + " FROM generate_series(1, ?) n", count);
        return Map.of("tokens", count);
    }

    /** Every token due again, then as many workers as the scheduler's refresh until none is due. */
    Map<String, Object> run(String tokenUrl, int workers) throws Exception {
        jdbc.update("UPDATE bench_lock_token SET expires_at = now() - interval '1 hour'");
        jdbc.execute("VACUUM ANALYZE bench_lock_token");
        int poolSize = application.getMaximumPoolSize();
        HikariConfig config = new HikariConfig();
        config.setPoolName("bench-row-lock");
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(poolSize);
        config.setConnectionTimeout(30_000);
        config.setAutoCommit(false);
        config.setDataSource(StatementCounter.dataSource(
                application.getJdbcUrl(),
                application.getUsername(),
                application.getPassword(),
                application.getDataSourceProperties()));
        AtomicLong refreshed = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicInteger holding = new AtomicInteger();
        AtomicInteger mostHolding = new AtomicInteger();
        try (HikariDataSource pool = new HikariDataSource(config)) {
            // the pool's connections are opened before the clock starts, as the application's are
            List<Connection> warm = new ArrayList<>();
            for (int i = 0; i < poolSize; i++) {
                warm.add(pool.getConnection());
            }
            for (Connection connection : warm) {
                connection.close();
            }
            ExecutorService threads = Executors.newFixedThreadPool(workers);
            try {
                Meter.Reading before = meter.read();
                long start = System.nanoTime();
                Instant now = Instant.now();
                List<Future<?>> done = new ArrayList<>();
                for (int i = 0; i < workers; i++) {
                    done.add(threads.submit(() -> {
                        while (true) {
                            try {
                                if (!refreshOne(pool, tokenUrl, now, holding, mostHolding)) {
                                    return null;
                                }
                                refreshed.incrementAndGet();
                            } catch (Exception e) {
                                if (failed.incrementAndGet() > 100) {
                                    throw e;
                                }
                            }
                        }
                    }));
                }
                for (Future<?> worker : done) {
                    worker.get();
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("refreshed", refreshed.get());
                result.put("failed", failed.get());
                result.put("seconds", seconds);
                result.put("perSecond", refreshed.get() / seconds);
                result.put("workers", workers);
                result.put("poolSize", poolSize);
                result.put("mostTransactionsHoldingARowLock", mostHolding.get());
                result.put("cost", meter.since(before, refreshed.get()));
                result.put(
                        "dueAfter",
                        jdbc.queryForObject(
                                "SELECT count(*) FROM bench_lock_token WHERE expires_at < now()", Long.class));
                return result;
            } finally {
                threads.shutdownNow();
            }
        }
    }

    /** @return false when no row is due (or every due row is locked by another worker) */
    private boolean refreshOne(
            DataSource pool, String tokenUrl, Instant dueBefore, AtomicInteger holding, AtomicInteger mostHolding)
            throws Exception {
        try (Connection connection = pool.getConnection()) {
            try {
                long id;
                String refreshToken;
                try (PreparedStatement take = connection.prepareStatement(TAKE)) {
                    take.setTimestamp(1, Timestamp.from(dueBefore));
                    try (ResultSet row = take.executeQuery()) {
                        if (!row.next()) {
                            connection.rollback();
                            return false;
                        }
                        id = row.getLong(1);
                        refreshToken = row.getString(2);
                    }
                }
                mostHolding.accumulateAndGet(holding.incrementAndGet(), Math::max);
                JsonNode tokens;
                try {
                    tokens = exchange(tokenUrl, refreshToken); // the row stays locked meanwhile
                } finally {
                    holding.decrementAndGet();
                }
                try (PreparedStatement write = connection.prepareStatement(WRITE)) {
                    write.setString(1, tokens.path("access_token").asText());
                    write.setString(
                            2, tokens.path("refresh_token").asText(refreshToken));
                    write.setTimestamp(
                            3,
                            Timestamp.from(Instant.now()
                                    .plusSeconds(tokens.path("expires_in").asLong(3600))));
                    write.setLong(4, id);
                    write.executeUpdate();
                }
                connection.commit();
                return true;
            } catch (Exception e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private JsonNode exchange(String tokenUrl, String refreshToken) throws Exception {
        String form = "grant_type=refresh_token&refresh_token="
                + URLEncoder.encode(refreshToken, StandardCharsets.UTF_8)
                + "&client_id=bench-client&client_secret=bench-secret";
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(tokenUrl))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header("Accept", "application/json")
                        .timeout(Duration.ofSeconds(10))
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("the token endpoint answered " + response.statusCode());
        }
        return json.readTree(response.body());
    }
}
