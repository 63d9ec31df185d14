package dev.latchkey.app.journey;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.domain.connection.ConnectionId;
import dev.latchkey.domain.connection.WorkspaceId;
import dev.latchkey.domain.secret.Sealed;
import dev.latchkey.domain.secret.SealingContext;
import dev.latchkey.domain.secret.SecretField;
import dev.latchkey.domain.secret.SecretSealer;
import dev.latchkey.testsupport.LeakScanner;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The rule of secrets, checked over a whole journey (connect, refresh, auth failure, reconnect, revoke): no token,
 * code, PKCE verifier or client secret issued in it appears in any table (the event store's payloads and metadata
 * included), in the log, or in any HTTP answer that does not exist to hand out an access token — plain, Base64 or
 * URL-encoded.
 */
class SecretsNeverLeakTest extends JourneyTest {

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    SecretSealer sealer;

    final ObjectMapper json = new ObjectMapper();

    @Override
    boolean installsReadyApplication() {
        return false; // installed inside the scanned journey, so the client secret's way in is scanned too
    }

    @Test
    void noSecretOfAWholeJourneyIsStoredLoggedOrAnsweredInTheClear() throws Exception {
        try (LeakScanner scanner = LeakScanner.forSecrets().startCapturingLogs()) {
            scanner.secret("client secret", CLIENT.secret());
            String admin = JourneyFixtures.admin();
            String function = JourneyFixtures.function(workspace, applicationId, "http-route", "uw-alice");

            scanner.recordResponse(
                    "install",
                    api.put(
                                    admin,
                                    "/v1/applications/" + applicationId,
                                    JourneyFixtures.manifest(applicationId, provider))
                            .raw());
            scanner.recordResponse(
                    "set client id",
                    api.put(
                                    admin,
                                    "/v1/applications/" + applicationId + "/server-variables/ACME_CLIENT_ID",
                                    Map.of("value", CLIENT.id()))
                            .raw());
            scanner.recordResponse(
                    "set client secret",
                    api.put(
                                    admin,
                                    "/v1/applications/" + applicationId + "/server-variables/ACME_CLIENT_SECRET",
                                    Map.of("value", CLIENT.secret()))
                            .raw());
            scanner.recordResponse(
                    "application view",
                    api.get(admin, "/v1/applications/" + applicationId).raw());

            // a webhook endpoint receives every lifecycle event of the journey; its secret is answered once, at
            // creation (that answer exists to hand it out, so it is not recorded), and is a secret everywhere else
            WebhookReceiver receiver = WebhookReceiver.start();
            Api.Answer endpoint = api.post(
                    admin, "/v1/applications/" + applicationId + "/webhook-endpoints", Map.of("url", receiver.url()));
            assertThat(endpoint.status()).isEqualTo(201);
            String endpointPath = "/v1/applications/" + applicationId + "/webhook-endpoints/"
                    + endpoint.body().path("id").asText();
            scanner.secret("webhook secret", endpoint.body().path("secret").asText());
            scanner.recordResponse(
                    "webhook endpoints",
                    api.get(admin, "/v1/applications/" + applicationId + "/webhook-endpoints")
                            .raw());

            // connect
            String id = connectRecording(
                    scanner,
                    api.post(
                            alice,
                            "/v1/connections",
                            Map.of("applicationId", applicationId, "providerName", "acme", "visibility", "user")));
            JsonNode first = api.get(function, "/v1/connections/" + id).body();
            scanner.secret("access token 1", first.path("accessToken").asText());
            scanner.secret("refresh token 1", refreshToken(id));
            scanner.recordResponse(
                    "member list", api.get(alice, "/v1/connections").raw());

            // refresh (a member's refresh answer carries no token)
            scanner.recordResponse(
                    "forced refresh",
                    api.post(alice, "/v1/connections/" + id + "/refresh", null).raw());
            scanner.secret(
                    "access token 2",
                    api.get(function, "/v1/connections/" + id)
                            .body()
                            .path("accessToken")
                            .asText());
            scanner.secret("refresh token 2", refreshToken(id));

            // a logic function reports the token rejected; then the owner reconnects
            scanner.recordResponse(
                    "auth failure",
                    api.post(function, "/v1/connections/" + id + "/auth-failure", Map.of("reason", "401 from the API"))
                            .raw());
            connectRecording(scanner, api.post(alice, "/v1/connections/" + id + "/reconnect", null));
            scanner.secret(
                    "access token 3",
                    api.get(function, "/v1/connections/" + id)
                            .body()
                            .path("accessToken")
                            .asText());
            scanner.secret("refresh token 3", refreshToken(id));

            // disconnect
            scanner.recordResponse(
                    "revoke", api.delete(alice, "/v1/connections/" + id).raw());
            scanner.recordResponse(
                    "member list after revoke",
                    api.get(alice, "/v1/connections").raw());

            // created, auth_failed, reconnected, deleted
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(20))
                    .until(() -> receiver.received().size() >= 4);
            receiver.close();
            for (WebhookReceiver.Received delivered : receiver.received()) {
                scanner.recordResponse(
                        "webhook " + delivered.webhookId(),
                        Map.of(
                                "webhook-signature", java.util.List.of(delivered.signature()),
                                "webhook-id", java.util.List.of(delivered.webhookId())),
                        delivered.body());
            }
            scanner.recordResponse(
                    "webhook deliveries",
                    api.get(admin, endpointPath + "/deliveries").raw());

            assertThat(scanner.labels()).hasSizeGreaterThanOrEqualTo(12);
            scanner.stopCapturingLogs();
            scanner.scanEverything(dataSource).assertClean();
        }
    }

    /** RFC 9700 and the rule of secrets: the path where the provider refuses a refresh token logs none of it. */
    @Test
    void aRefreshRefusedWithInvalidGrantLeaksNothing() throws Exception {
        connections.installReady(applicationId);
        try (LeakScanner scanner = LeakScanner.forSecrets().startCapturingLogs()) {
            scanner.secret("client secret", CLIENT.secret());
            String function = JourneyFixtures.function(workspace, applicationId, "http-route", "uw-alice");
            String id = connectRecording(
                    scanner,
                    api.post(
                            alice,
                            "/v1/connections",
                            Map.of("applicationId", applicationId, "providerName", "acme", "visibility", "user")));
            String refreshToken = refreshToken(id);
            scanner.secret("refresh token", refreshToken);
            scanner.secret(
                    "access token",
                    api.get(function, "/v1/connections/" + id)
                            .body()
                            .path("accessToken")
                            .asText());

            // the grant dies at the provider; the next refresh meets invalid_grant
            assertThat(provider.revoke(CLIENT, refreshToken, "refresh_token")).isEqualTo(200);
            Api.Answer refused = api.post(alice, "/v1/connections/" + id + "/refresh", null);
            assertThat(refused.status()).as(refused.raw().body()).isEqualTo(409);
            assertThat(refused.body().path("type").asText()).endsWith("/auth-failed");
            scanner.recordResponse("refused refresh", refused.raw());
            scanner.recordResponse(
                    "credentials after the refusal",
                    api.get(function, "/v1/connections/" + id).raw());

            scanner.stopCapturingLogs();
            assertThat(scanner.capturedLogs())
                    .anySatisfy(line -> assertThat(line).contains("grant-revoked"));
            scanner.scanEverything(dataSource).assertClean();
        }
    }

    /**
     * Follows a start or reconnect answer through the browser; records the verifier and the code issued, and every
     * answer of Latchkey's on the way. Returns the connection id.
     */
    private String connectRecording(LeakScanner scanner, Api.Answer started) {
        scanner.recordResponse("start", started.raw());
        String id = started.body().path("connectionId").asText();
        Browser browser = new Browser();
        HttpResponse<String> toProvider =
                browser.get(URI.create(started.body().path("authorizeUrl").asText()));
        scanner.secret("PKCE verifier of " + toProvider.hashCode(), pendingVerifier(id));
        URI callback = browser.consentAtProvider(URI.create(Browser.location(toProvider)), provider);
        scanner.secret(
                "authorization code " + callback.hashCode(),
                UriComponentsBuilder.fromUri(callback).build().getQueryParams().getFirst("code"));
        HttpResponse<String> page = browser.get(callback);
        assertThat(page.statusCode()).isEqualTo(200);
        scanner.recordResponse("callback page", page);
        return id;
    }

    /** The verifier of the pending attempt, unsealed from the latest event that carries one. */
    private String pendingVerifier(String connectionId) {
        String payload = jdbc.queryForObject("""
                select convert_from(payload, 'UTF8') from domain_event_entry
                where aggregate_identifier = ? and payload_type in (
                    'dev.latchkey.domain.connection.AuthorizationStarted', 'dev.latchkey.domain.connection.ReconnectStarted')
                order by sequence_number desc limit 1
                """, String.class, connectionId);
        try {
            JsonNode sealed = json.readTree(payload).at("/authorization/codeVerifier");
            return sealer.unseal(
                            new Sealed(
                                    sealed.path("keyId").asText(),
                                    sealed.path("ciphertext").asText()),
                            SealingContext.forConnection(
                                    WorkspaceId.of(workspace),
                                    ConnectionId.of(connectionId),
                                    SecretField.CODE_VERIFIER))
                    .reveal();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private String refreshToken(String connectionId) {
        Map<String, Object> row = jdbc.queryForMap(
                "select refresh_token_key_id, refresh_token_ciphertext from connection_view where connection_id = ?",
                connectionId);
        return sealer.unseal(
                        new Sealed(
                                (String) row.get("refresh_token_key_id"), (String) row.get("refresh_token_ciphertext")),
                        SealingContext.forConnection(
                                WorkspaceId.of(workspace), ConnectionId.of(connectionId), SecretField.REFRESH_TOKEN))
                .reveal();
    }
}
