package dev.latchkey.app.eventstore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.testsupport.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A database from before the refresh schedule (migrated up to V103) keeps refreshing its connections after the
 * upgrade: V104 adds the columns, V105 fills them from the event store, so the scheduler, which reads only
 * {@code next_refresh_at}, finds the rows without a replay of the view.
 */
class RefreshScheduleBackfillTest {

    private static final String DATABASE = "latchkey_backfill";
    private static final Instant ESTABLISHED = Instant.parse("2026-11-30T08:00:00.250Z");
    private static final Instant REFRESHED = Instant.parse("2026-11-30T09:00:00.500Z");
    private static final Instant EXPIRES = Instant.parse("2026-11-30T10:00:00Z");

    private static JdbcTemplate jdbc;

    @BeforeAll
    static void aViewFromBeforeTheScheduleIsUpgraded() {
        DataSource dataSource = TestPostgres.dataSource(DATABASE);
        jdbc = new JdbcTemplate(dataSource);
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .outOfOrder(true)
                .target("103")
                .load()
                .migrate();
        event("c-1", 2, "ConnectionEstablished", ESTABLISHED);
        event("c-1", 3, "RefreshStarted", REFRESHED.minusMillis(100));
        event("c-1", 4, "TokensRefreshed", REFRESHED);
        event("c-1", 5, "ConnectionRenamed", REFRESHED.plusSeconds(60));
        row("c-1", "active", "refresh", EXPIRES);
        event("c-2", 2, "ConnectionEstablished", ESTABLISHED);
        row("c-2", "active", null, EXPIRES); // no refresh token: never refreshed by time
        row("c-3", "pending", null, null);

        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .outOfOrder(true)
                .load()
                .migrate();
    }

    @Test
    void aConnectionHoldingARefreshTokenIsScheduledBeforeItsExpiryAndSaysWhenItsTokensWereObtained() {
        Map<String, Object> row =
                jdbc.queryForMap("select tokens_recorded_at, last_refreshed_at, next_refresh_at, consecutive_failures"
                        + " from connection_view where connection_id = 'c-1'");

        assertThat(row.get("tokens_recorded_at")).isEqualTo(4L);
        assertThat(((Timestamp) row.get("last_refreshed_at")).toInstant()).isEqualTo(REFRESHED);
        assertThat(((Timestamp) row.get("next_refresh_at")).toInstant()).isEqualTo(EXPIRES.minusSeconds(60));
        assertThat(row.get("consecutive_failures")).isEqualTo(0);
    }

    @Test
    void connectionsTimeDoesNotRefreshStayUnscheduled() {
        assertThat(jdbc.queryForList(
                        "select connection_id from connection_view where next_refresh_at is not null", String.class))
                .containsExactly("c-1");
        assertThat(jdbc.queryForObject(
                        "select tokens_recorded_at from connection_view where connection_id = 'c-2'", Long.class))
                .isEqualTo(2L);
    }

    private static long position = 1;

    private static void event(String connection, long sequence, String type, Instant at) {
        jdbc.update(
                "insert into domain_event_entry (global_index, event_identifier, aggregate_identifier,"
                        + " sequence_number, type, time_stamp, payload_type, payload)"
                        + " values (?, ?, ?, ?, 'Connection', ?, ?, ?)",
                position++,
                connection + "-" + sequence,
                connection,
                sequence,
                at.toString(),
                "dev.latchkey.domain.connection." + type,
                "{}".getBytes(StandardCharsets.UTF_8));
    }

    private static void row(String connection, String status, String refreshCiphertext, Instant expiresAt) {
        boolean tokens = expiresAt != null;
        jdbc.update(
                "insert into connection_view (connection_id, workspace_id, application_id, provider_name, name,"
                        + " visibility, owner_user_workspace_id, scopes, status, created_at, updated_at,"
                        + " access_token_key_id, access_token_ciphertext, access_token_expires_at,"
                        + " refresh_token_key_id, refresh_token_ciphertext, last_sequence, last_position)"
                        + " values (?, 'ws-1', 'app-1', 'linear', 'Linear', 'user', 'uw-1', '{}', ?, now(), now(),"
                        + " ?, ?, ?, ?, ?, 5, 5)",
                connection,
                status,
                tokens ? "k1" : null,
                tokens ? "access" : null,
                expiresAt == null ? null : Timestamp.from(expiresAt),
                refreshCiphertext == null ? null : "k1",
                refreshCiphertext);
    }
}
