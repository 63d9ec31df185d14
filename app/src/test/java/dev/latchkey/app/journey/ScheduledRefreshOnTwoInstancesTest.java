package dev.latchkey.app.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.app.flow.ScheduledRefresh;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Two Latchkey instances share one schedule: both run their scheduler over the same due connections at once,
 * against the real authorization server, which rotates refresh tokens (spending one twice would kill the grant).
 * Every due connection is refreshed exactly once, none fails, and each holds a live token afterwards.
 */
class ScheduledRefreshOnTwoInstancesTest extends JourneyTest {

    static final int CONNECTIONS = 8;

    @Autowired
    ScheduledRefresh scheduler;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void everyDueRefreshRunsOnceAcrossBothInstances() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < CONNECTIONS; i++) {
            ids.add(connections.connect(alice, applicationId, "workspace"));
        }
        try (ConfigurableApplicationContext second = ConcurrentRefreshTest.secondInstance()) {
            ScheduledRefresh otherScheduler = second.getBean(ScheduledRefresh.class);
            // the test server's tokens live 65 s: each is scheduled 60 s ahead, less up to 6.5 s of jitter
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> jdbc.queryForObject(
                                    "select count(*) from connection_view where workspace_id = ?"
                                            + " and next_refresh_at <= now()",
                                    Long.class,
                                    workspace)
                            == CONNECTIONS);
            int grantsBefore = provider.refreshGrants();
            long mark = jdbc.queryForObject("select max(global_index) from domain_event_entry", Long.class);

            CyclicBarrier together = new CyclicBarrier(2);
            CompletableFuture<Integer> here = CompletableFuture.supplyAsync(() -> runAfter(together, scheduler));
            CompletableFuture<Integer> there = CompletableFuture.supplyAsync(() -> runAfter(together, otherScheduler));
            here.get();
            there.get();

            // the shared database holds other tests' connections, due as well: every connection the two runs
            // refreshed was refreshed once, and every grant the provider issued meanwhile is one of those
            Map<String, Long> refreshed = new HashMap<>();
            jdbc.query(
                    "select aggregate_identifier, count(*) from domain_event_entry where global_index > ?"
                            + " and payload_type = 'dev.latchkey.domain.connection.TokensRefreshed' group by 1",
                    rs -> {
                        refreshed.put(rs.getString(1), rs.getLong(2));
                    },
                    mark);
            assertThat(refreshed).containsKeys(ids.toArray(String[]::new));
            assertThat(refreshed.values()).containsOnly(1L);
            assertThat(provider.refreshGrants() - grantsBefore).isEqualTo(refreshed.size());
            assertThat(jdbc.queryForObject(
                            "select count(*) from domain_event_entry where global_index > ?"
                                    + " and payload_type = 'dev.latchkey.domain.connection.RefreshFailed'",
                            Long.class,
                            mark))
                    .isZero();
        }
        String function = JourneyFixtures.function(workspace, applicationId, "cron", null);
        for (String id : ids) {
            assertThat(jdbc.queryForList(
                            "select payload_type from domain_event_entry where aggregate_identifier = ?"
                                    + " and payload_type like '%Refresh%' order by sequence_number",
                            String.class, id))
                    .containsExactly(
                            "dev.latchkey.domain.connection.RefreshStarted",
                            "dev.latchkey.domain.connection.TokensRefreshed");
            JsonNode connection = api.get(function, "/v1/connections/" + id).body();
            assertThat(connection.path("status").asText()).isEqualTo("active");
            assertThat(connection.path("health").path("state").asText()).isEqualTo("ok");
            assertThat(provider.isActive(connection.path("accessToken").asText()))
                    .isTrue();
        }
    }

    private static int runAfter(CyclicBarrier together, ScheduledRefresh scheduler) {
        try {
            together.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return scheduler.refreshDue();
    }
}
