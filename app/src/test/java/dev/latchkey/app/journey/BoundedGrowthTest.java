package dev.latchkey.app.journey;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.app.authorization.ExpiredAuthorizationStates;
import dev.latchkey.app.connection.AbandonedConnections;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What nobody finishes does not stay forever (expired states, abandoned pending connections), and one row that
 * cannot be read does not fail the others' answer. Time is moved by handing the jobs a later instant.
 */
class BoundedGrowthTest extends JourneyTest {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ExpiredAuthorizationStates expiredStates;

    @Autowired
    AbandonedConnections abandoned;

    @Test
    void expiredAuthorizationStatesArePurgedAndLiveOnesKept() {
        String id = connections
                .start(alice, applicationId, "user", null)
                .body()
                .path("connectionId")
                .asText();
        assertThat(states(id)).isEqualTo(1);

        expiredStates.purge(Instant.now());
        assertThat(states(id)).as("still valid").isEqualTo(1);

        assertThat(expiredStates.purge(Instant.now().plus(Duration.ofMinutes(11))))
                .isGreaterThanOrEqualTo(1);
        assertThat(states(id)).isZero();
    }

    @Test
    void aPendingConnectionAbandonedForADayIsRevokedThroughTheAggregateAndLeavesTheList() {
        String pending = connections
                .start(alice, applicationId, "user", null)
                .body()
                .path("connectionId")
                .asText();
        String active = connections.connect(alice, applicationId, "user");

        abandoned.expire(Instant.now().plus(Duration.ofHours(1)));
        assertThat(api.get(alice, "/v1/connections/" + pending).status()).isEqualTo(200);

        abandoned.expire(
                Instant.now().plus(AbandonedConnections.PENDING_LIFETIME).plusSeconds(60));

        assertThat(api.get(alice, "/v1/connections/" + pending).status()).isEqualTo(404);
        assertThat(api.get(alice, "/v1/connections/" + active)
                        .body()
                        .path("status")
                        .asText())
                .isEqualTo("active");
        assertThat(jdbc.queryForObject("""
                        select count(*) from domain_event_entry
                        where aggregate_identifier = ? and payload_type like '%.ConnectionRevoked'
                        """, Integer.class, pending)).isEqualTo(1);
    }

    @Test
    void aRowWhoseTokensCannotBeUnsealedIsAnsweredWithoutThemAndTheOthersWithThem() {
        String broken = connections.connect(alice, applicationId, "workspace");
        String fine = connections.connect(alice, applicationId, "workspace");
        String sealed = jdbc.queryForObject(
                "select access_token_ciphertext from connection_view where connection_id = ?", String.class, broken);
        jdbc.update(
                "update connection_view set access_token_ciphertext = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' "
                        + "where connection_id = ?",
                broken);

        Api.Answer listed;
        try {
            listed = api.get(JourneyFixtures.function(workspace, applicationId, "cron", null), "/v1/connections");
        } finally {
            // the shared view must stay what a replay rebuilds (ProjectionReplayTest compares them)
            jdbc.update(
                    "update connection_view set access_token_ciphertext = ? where connection_id = ?", sealed, broken);
        }

        assertThat(listed.status()).as(listed.raw().body()).isEqualTo(200);
        JsonNode items = listed.body().path("items");
        assertThat(items).hasSize(2);
        for (JsonNode item : items) {
            if (item.path("id").asText().equals(broken)) {
                assertThat(item.has("accessToken")).isFalse();
                assertThat(item.path("credentialsError").asText()).isEqualTo("credentials-unreadable");
                assertThat(item.path("status").asText()).isEqualTo("active");
            } else {
                assertThat(item.path("id").asText()).isEqualTo(fine);
                assertThat(item.path("accessToken").asText()).isNotEmpty();
                assertThat(item.has("credentialsError")).isFalse();
            }
        }
    }

    private int states(String connectionId) {
        return jdbc.queryForObject(
                "select count(*) from authorization_state where connection_id = ?", Integer.class, connectionId);
    }
}
