package dev.latchkey.app.journey;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.domain.connection.ConnectionId;
import dev.latchkey.domain.connection.WorkspaceId;
import dev.latchkey.domain.secret.Sealed;
import dev.latchkey.domain.secret.SealingContext;
import dev.latchkey.domain.secret.SecretField;
import dev.latchkey.domain.secret.SecretSealer;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** Reconnect, a dead grant, reported failures and idempotent starts, against the real authorization server. */
class ConnectionLifecycleTest extends JourneyTest {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    SecretSealer sealer;

    @Test
    void reconnectKeepsTheIdAndOnlyTheOwnerMayReconnectAPrivateConnection() {
        String id = connections.connect(alice, applicationId, "user");
        String function = JourneyFixtures.function(workspace, applicationId, "http-route", "uw-alice");
        String before = api.get(function, "/v1/connections/" + id)
                .body()
                .path("accessToken")
                .asText();

        assertThat(api.post(JourneyFixtures.member(workspace, "uw-bob"), "/v1/connections/" + id + "/reconnect", null)
                        .status())
                .isEqualTo(404);
        Api.Answer again = api.post(alice, "/v1/connections/" + id + "/reconnect", null);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body().path("connectionId").asText()).isEqualTo(id);
        Browser browser = new Browser();
        URI callback =
                browser.consent(URI.create(again.body().path("authorizeUrl").asText()), provider);
        assertThat(browser.get(callback).statusCode()).isEqualTo(200);

        JsonNode after = api.get(function, "/v1/connections/" + id).body();
        assertThat(after.path("status").asText()).isEqualTo("active");
        assertThat(after.path("accessToken").asText()).isNotEqualTo(before);
        assertThat(provider.isActive(after.path("accessToken").asText())).isTrue();
        assertThat(api.get(alice, "/v1/connections").body().path("items")).hasSize(1);
    }

    @Test
    void aGrantRefusedForGoodMakesTheConnectionAuthFailedAndItStaysListedWithoutAToken() {
        String id = connections.connect(alice, applicationId, "workspace");
        revokeRefreshTokenAtTheProvider(id);

        Api.Answer refresh = api.post(alice, "/v1/connections/" + id + "/refresh", null);

        assertThat(refresh.status()).isEqualTo(409);
        assertThat(refresh.body().path("type").asText()).endsWith("/auth-failed");
        JsonNode listed = api.get(JourneyFixtures.function(workspace, applicationId, "cron", null), "/v1/connections")
                .body()
                .at("/items/0");
        assertThat(listed.path("id").asText()).isEqualTo(id);
        assertThat(listed.path("status").asText()).isEqualTo("auth-failed");
        assertThat(listed.path("authFailedAt").isNull()).isFalse();
        assertThat(listed.path("authFailedReason").asText()).isEqualTo("invalid_grant");
        assertThat(listed.has("accessToken")).isFalse();
    }

    @Test
    void aReportedFailureFailsTheConnectionUnlessItWasRefreshedSince() {
        String id = connections.connect(alice, applicationId, "user");
        String function = JourneyFixtures.function(workspace, applicationId, "http-route", "uw-alice");
        JsonNode handedOut = api.get(function, "/v1/connections/" + id).body();

        Api.Answer forced = api.post(function, "/v1/connections/" + id + "/refresh", null);
        assertThat(forced.status()).isEqualTo(200);
        assertThat(forced.body().path("accessToken").asText())
                .isNotEqualTo(handedOut.path("accessToken").asText());
        Api.Answer stale = api.post(
                function,
                "/v1/connections/" + id + "/auth-failure",
                Map.of(
                        "reason",
                        "401 from the API",
                        "accessTokenExpiresAt",
                        handedOut.path("accessTokenExpiresAt").asText()));
        assertThat(stale.status()).isEqualTo(204);
        assertThat(api.get(alice, "/v1/connections/" + id).body().path("status").asText())
                .isEqualTo("active");

        Api.Answer current =
                api.post(function, "/v1/connections/" + id + "/auth-failure", Map.of("reason", "401 from the API"));
        assertThat(current.status()).isEqualTo(204);
        JsonNode failed = api.get(alice, "/v1/connections/" + id).body();
        assertThat(failed.path("status").asText()).isEqualTo("auth-failed");
        assertThat(failed.path("authFailedReason").asText()).isEqualTo("401 from the API");
        assertThat(api.post(function, "/v1/connections/" + id + "/auth-failure", Map.of("reason", "x".repeat(1001)))
                        .status())
                .isEqualTo(400);
    }

    @Test
    void aRepeatedStartWithTheSameIdempotencyKeyGetsTheSameAnswer() {
        Map<String, Object> body = Map.of("applicationId", applicationId, "providerName", "acme", "visibility", "user");
        Api.Answer first = api.send(alice, "POST", "/v1/connections", body, "Idempotency-Key", "key-1");
        Api.Answer second = api.send(alice, "POST", "/v1/connections", body, "Idempotency-Key", "key-1");
        Api.Answer other = api.send(
                alice,
                "POST",
                "/v1/connections",
                Map.of("applicationId", applicationId, "providerName", "acme", "visibility", "workspace"),
                "Idempotency-Key",
                "key-1");

        assertThat(first.status()).isEqualTo(201);
        assertThat(second.status()).isEqualTo(201);
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(other.status()).isEqualTo(422);
        assertThat(api.get(alice, "/v1/connections").body().path("items")).hasSize(1);
    }

    /** The person revoked Latchkey's access at the provider: the refresh token Latchkey holds is dead. */
    private void revokeRefreshTokenAtTheProvider(String connectionId) {
        Map<String, Object> row = jdbc.queryForMap(
                "select refresh_token_key_id, refresh_token_ciphertext from connection_view where connection_id = ?",
                connectionId);
        String refreshToken = sealer.unseal(
                        new Sealed(
                                (String) row.get("refresh_token_key_id"), (String) row.get("refresh_token_ciphertext")),
                        SealingContext.forConnection(
                                WorkspaceId.of(workspace), ConnectionId.of(connectionId), SecretField.REFRESH_TOKEN))
                .reveal();
        assertThat(provider.revoke(CLIENT, refreshToken, "refresh_token")).isEqualTo(200);
    }

    @Test
    void aPatchStoresTheNameAndTheVisibilityTogetherOrNeither() {
        String connectionId = connections.connect(alice, applicationId, "workspace");
        String bob = JourneyFixtures.member(workspace, "uw-bob");
        long before = jdbc.queryForObject(
                "select count(*) from domain_event_entry where aggregate_identifier = ?", Long.class, connectionId);

        // Bob may rename a shared connection, but only Alice, its owner, may make it private: neither is stored
        Api.Answer refused =
                api.patch(bob, "/v1/connections/" + connectionId, Map.of("name", "Bob's", "visibility", "user"));

        assertThat(refused.status()).isEqualTo(404);
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        JsonNode unchanged = api.get(alice, "/v1/connections/" + connectionId).body();
        assertThat(unchanged.path("name").asText()).isEqualTo("Acme #1");
        assertThat(unchanged.path("visibility").asText()).isEqualTo("workspace");
        assertThat(jdbc.queryForObject(
                        "select count(*) from domain_event_entry where aggregate_identifier = ?",
                        Long.class,
                        connectionId))
                .isEqualTo(before);

        Api.Answer both =
                api.patch(alice, "/v1/connections/" + connectionId, Map.of("name", "Alice's", "visibility", "user"));
        assertThat(both.status()).isEqualTo(200);
        assertThat(both.body().path("name").asText()).isEqualTo("Alice's");
        assertThat(both.body().path("visibility").asText()).isEqualTo("user");
    }
}
