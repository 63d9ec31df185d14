package dev.latchkey.app.audit;

import static dev.latchkey.app.audit.AuditFixtures.sealed;
import static dev.latchkey.app.audit.AuditFixtures.tokens;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.domain.application.ApplicationId;
import dev.latchkey.domain.application.ProviderName;
import dev.latchkey.domain.connection.AuthorizationFailed;
import dev.latchkey.domain.connection.AuthorizationStarted;
import dev.latchkey.domain.connection.CallbackAccepted;
import dev.latchkey.domain.connection.ConnectionAuthFailed;
import dev.latchkey.domain.connection.ConnectionEstablished;
import dev.latchkey.domain.connection.ConnectionEvent;
import dev.latchkey.domain.connection.ConnectionId;
import dev.latchkey.domain.connection.ConnectionRenamed;
import dev.latchkey.domain.connection.ConnectionRevoked;
import dev.latchkey.domain.connection.FailureKind;
import dev.latchkey.domain.connection.PendingAuthorization;
import dev.latchkey.domain.connection.ReconnectStarted;
import dev.latchkey.domain.connection.RefreshFailed;
import dev.latchkey.domain.connection.RefreshStarted;
import dev.latchkey.domain.connection.RevocationOutcome;
import dev.latchkey.domain.connection.RevocationStarted;
import dev.latchkey.domain.connection.TokensRefreshed;
import dev.latchkey.domain.connection.UserWorkspaceId;
import dev.latchkey.domain.connection.Visibility;
import dev.latchkey.domain.connection.VisibilityChanged;
import dev.latchkey.domain.connection.WorkspaceId;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every connection event as the audit log writes it: no ciphertext, no key id, no digest. */
class AuditPayloadsTest {

    private static final ConnectionId ID = ConnectionId.of("c-1");
    private static final Instant AT = Instant.parse("2030-01-01T00:00:00Z");
    private static final PendingAuthorization PENDING = new PendingAuthorization(
            "state-digest-value", "binding-digest-value", sealed("verifier"), AT, "https://crm.example.com/back");

    /** One of each: a new event type must be added here, and shown to keep its secrets. */
    private static final List<ConnectionEvent> EVERY_EVENT = List.of(
            new AuthorizationStarted(
                    ID,
                    WorkspaceId.of("ws-1"),
                    ApplicationId.of("app-1"),
                    ProviderName.of("linear"),
                    UserWorkspaceId.of("uw-1"),
                    Visibility.USER,
                    "Linear #1",
                    PENDING),
            new ReconnectStarted(ID, UserWorkspaceId.of("uw-1"), PENDING),
            new CallbackAccepted(ID, "state-digest-value"),
            new AuthorizationFailed(ID, "access_denied", FailureKind.GRANT_REVOKED),
            new ConnectionEstablished(ID, tokens("1"), "alice@example.com"),
            new RefreshStarted(ID, AT),
            new TokensRefreshed(ID, 3, tokens("2")),
            new RefreshFailed(ID, 3, FailureKind.TRANSIENT, "http-503", AT),
            new ConnectionAuthFailed(ID, "invalid_grant", AT),
            new ConnectionRenamed(ID, "Linear (work)"),
            new VisibilityChanged(ID, Visibility.WORKSPACE),
            new RevocationStarted(ID),
            new ConnectionRevoked(ID, RevocationOutcome.REVOKED, RevocationOutcome.UNSUPPORTED));

    private final AuditPayloads payloads = new AuditPayloads();

    @Test
    void theSamplesCoverEveryConnectionEvent() {
        assertThat(EVERY_EVENT.stream().map(Object::getClass).distinct())
                .containsExactlyInAnyOrder(Arrays.stream(ConnectionEvent.class.getPermittedSubclasses())
                        .toArray(Class<?>[]::new));
    }

    @Test
    void noPayloadCarriesASealedValueOrADigest() {
        for (ConnectionEvent event : EVERY_EVENT) {
            String json = payloads.toJson(event).toString();

            assertThat(json)
                    .as(event.getClass().getSimpleName())
                    .doesNotContain("CIPHERTEXT")
                    .doesNotContain("key-")
                    .doesNotContain("digest-value")
                    .doesNotContain("Digest");
        }
    }

    @Test
    void sealedValuesAreShownAsSealedAndTheRestAsIs() {
        JsonNode established = payloads.toJson(new ConnectionEstablished(ID, tokens("1"), "alice@example.com"));
        JsonNode started = payloads.toJson(EVERY_EVENT.get(0));

        assertThat(established.path("tokens").path("accessToken").toString()).isEqualTo("{\"sealed\":true}");
        assertThat(established.path("tokens").path("scopes").toString()).isEqualTo("[\"read\",\"write\"]");
        assertThat(established.path("tokens").path("accessTokenExpiresAt").asText())
                .isEqualTo("2030-01-01T00:00:00Z");
        assertThat(started.path("authorization").path("codeVerifier").toString())
                .isEqualTo("{\"sealed\":true}");
        assertThat(started.path("authorization").path("expiresAt").asText()).isEqualTo("2030-01-01T00:00:00Z");
        assertThat(started.path("visibility").asText()).isEqualTo("user");
        assertThat(payloads.toJson(new CallbackAccepted(ID, "state-digest-value"))
                        .toString())
                .isEqualTo("{\"connectionId\":\"c-1\"}");
        assertThat(payloads.toJson(new RefreshFailed(ID, 3, FailureKind.TRANSIENT, "http-503", null))
                        .path("retryAfter")
                        .isNull())
                .isTrue();
    }
}
