package dev.latchkey.app.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.latchkey.app.LatchkeyApplication;
import dev.latchkey.testsupport.TestPostgres;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Many logic functions read one connection whose token is about to expire, at a provider that rotates refresh
 * tokens (a second refresh with the old refresh token would fail and kill the grant): exactly one refresh reaches
 * the provider, and every reader gets the same, working token. Also with the readers split over two Latchkey
 * instances sharing one database.
 */
class ConcurrentRefreshTest extends JourneyTest {

    static final int READERS = 50;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void fiftyConcurrentReadersShareOneRefresh() throws Exception {
        String connectionId =
                connections.connect(JourneyFixtures.member(workspace, "uw-alice"), applicationId, "workspace");
        awaitDueForRefresh(connectionId);
        int grantsBefore = provider.refreshGrants();

        Set<String> tokens = readConcurrently(List.of(PUBLIC_URL));

        assertThat(provider.refreshGrants() - grantsBefore).isEqualTo(1);
        assertThat(tokens).hasSize(1);
        assertThat(provider.isActive(tokens.iterator().next())).isTrue();
    }

    @Test
    void readersOnTwoInstancesSharingTheDatabaseShareOneRefresh() throws Exception {
        String connectionId =
                connections.connect(JourneyFixtures.member(workspace, "uw-alice"), applicationId, "workspace");
        try (ConfigurableApplicationContext second = secondInstance()) {
            int port = ((WebServerApplicationContext) second).getWebServer().getPort();
            awaitDueForRefresh(connectionId);
            int grantsBefore = provider.refreshGrants();

            Set<String> tokens = readConcurrently(List.of(PUBLIC_URL, "http://127.0.0.1:" + port));

            assertThat(provider.refreshGrants() - grantsBefore).isEqualTo(1);
            assertThat(tokens).hasSize(1);
            assertThat(provider.isActive(tokens.iterator().next())).isTrue();
        }
    }

    /** Waits until the token expires within the refresh-ahead window (60 s), without reading it through the API. */
    private void awaitDueForRefresh(String connectionId) {
        Timestamp expiresAt = jdbc.queryForObject(
                "select access_token_expires_at from connection_view where connection_id = ?",
                Timestamp.class,
                connectionId);
        Instant due = expiresAt.toInstant().minusSeconds(60).plusMillis(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> Instant.now().isAfter(due));
    }

    private Set<String> readConcurrently(List<String> instances) throws Exception {
        String function = JourneyFixtures.function(workspace, applicationId, "cron", null);
        ExecutorService readers = Executors.newFixedThreadPool(READERS);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < READERS; i++) {
                Api instance = new Api(instances.get(i % instances.size()));
                Callable<String> read = () -> {
                    go.await();
                    Api.Answer answer = instance.get(function, "/v1/connections?providerName=acme");
                    assertThat(answer.status()).as(answer.raw().body()).isEqualTo(200);
                    return answer.body().at("/items/0/accessToken").asText();
                };
                answers.add(readers.submit(read));
            }
            go.countDown();
            List<String> tokens = new ArrayList<>();
            for (Future<String> answer : answers) {
                tokens.add(answer.get());
            }
            assertThat(tokens).doesNotContain("");
            return tokens.stream().collect(Collectors.toSet());
        } finally {
            readers.shutdownNow();
        }
    }

    /** Another Latchkey on the same database, its scheduler off (tests run it by hand). */
    static ConfigurableApplicationContext secondInstance() {
        return new SpringApplicationBuilder(LatchkeyApplication.class)
                .properties(
                        "spring.datasource.url=" + TestPostgres.jdbcUrl(DATABASE),
                        "spring.datasource.username=" + TestPostgres.username(),
                        "latchkey.master-keys=" + TEST_MASTER_KEYS,
                        "latchkey.jwt-secret=" + TEST_JWT_SECRET,
                        "latchkey.allow-insecure-loopback=true",
                        "latchkey.scheduled-refresh-interval=0s",
                        "latchkey.public-url=" + PUBLIC_URL,
                        "server.address=127.0.0.1",
                        "server.port=0",
                        "spring.main.banner-mode=off",
                        "spring.jmx.enabled=false")
                .run();
    }
}
