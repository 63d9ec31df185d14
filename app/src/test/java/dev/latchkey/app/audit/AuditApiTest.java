package dev.latchkey.app.audit;

import static dev.latchkey.app.TestMessages.asCommand;
import static dev.latchkey.app.TestMessages.linearManifest;
import static dev.latchkey.app.TestMessages.newApplicationId;
import static dev.latchkey.app.audit.AuditFixtures.activeConnection;
import static dev.latchkey.app.audit.AuditFixtures.get;
import static dev.latchkey.app.audit.AuditFixtures.newWorkspace;
import static dev.latchkey.app.audit.AuditFixtures.rename;
import static dev.latchkey.app.audit.AuditFixtures.token;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.app.LatchkeySpringTest;
import dev.latchkey.app.audit.AuditFixtures.Answer;
import dev.latchkey.domain.application.ApplicationId;
import dev.latchkey.domain.application.InstallApplication;
import dev.latchkey.domain.connection.ConnectionId;
import dev.latchkey.domain.connection.WorkspaceId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** GET /v1/connections/{id}/history and GET /v1/events over HTTP, as an audit consumer calls them. */
class AuditApiTest extends LatchkeySpringTest {

    @Autowired
    CommandGateway commands;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void historyListsEveryEventOfTheConnectionInOrderWithWhoCausedIt() {
        WorkspaceId workspace = newWorkspace();
        ConnectionId id = activeConnection(commands, workspace, "alice");
        rename(commands, workspace, id, "Linear (work)");

        Answer answer = get("/v1/connections/" + id + "/history", token("audit:read", workspace));

        assertThat(answer.status()).isEqualTo(200);
        List<JsonNode> events = list(answer.json().path("events"));
        assertThat(events)
                .extracting(e -> e.path("type").asText())
                .containsExactly(
                        "AuthorizationStarted",
                        "CallbackAccepted",
                        "ConnectionEstablished",
                        "RefreshStarted",
                        "TokensRefreshed",
                        "ConnectionRenamed");
        assertThat(events).extracting(e -> e.path("sequence").asLong()).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
        List<Long> positions = jdbc.queryForList(
                "select global_index from domain_event_entry where aggregate_identifier = ? order by sequence_number",
                Long.class,
                id.value());
        assertThat(events).extracting(e -> e.path("position").asLong()).containsExactlyElementsOf(positions);
        assertThat(events)
                .extracting(e -> e.path("actor").asText())
                .containsExactly(
                        "alice", "system:oauth-callback", "system:oauth-callback", "alice", "alice", "member-1");
        assertThat(events).allSatisfy(e -> {
            assertThat(e.path("occurredAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
            assertThat(e.path("correlationId").asText()).isNotBlank();
            assertThat(e.path("connectionId").asText()).isEqualTo(id.value());
        });
        assertThat(events.get(5).path("payload").path("name").asText()).isEqualTo("Linear (work)");
        assertThat(events.get(0).path("payload").path("workspaceId").asText()).isEqualTo(workspace.value());
    }

    @Test
    void payloadsShowSealedValuesAsSealedAndNoSecretOrDigest() {
        WorkspaceId workspace = newWorkspace();
        ConnectionId id = activeConnection(commands, workspace, "alice");

        Answer answer = get("/v1/connections/" + id + "/history", token("audit:read", workspace));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body())
                .doesNotContain("CIPHERTEXT-")
                .doesNotContain("key-access")
                .doesNotContain("ciphertext")
                .doesNotContain("keyId")
                .doesNotContain(AuditFixtures.STATE_DIGEST)
                .doesNotContain(AuditFixtures.BINDING_DIGEST)
                .doesNotContain("Digest");
        List<JsonNode> events = list(answer.json().path("events"));
        JsonNode started = events.get(0).path("payload");
        assertThat(started.path("authorization").path("codeVerifier").toString())
                .isEqualTo("{\"sealed\":true}");
        assertThat(started.path("authorization").path("returnUrl").asText())
                .isEqualTo("https://crm.example.com/settings/apps");
        JsonNode established = events.get(2).path("payload");
        assertThat(established.path("tokens").path("accessToken").toString()).isEqualTo("{\"sealed\":true}");
        assertThat(established.path("tokens").path("refreshToken").toString()).isEqualTo("{\"sealed\":true}");
        assertThat(established.path("tokens").path("tokenResponse").toString()).isEqualTo("{\"sealed\":true}");
        assertThat(established.path("tokens").path("accessTokenExpiresAt").asText())
                .isEqualTo("2030-01-01T00:00:00Z");
        assertThat(established.path("handle").asText()).isEqualTo("alice@example.com");
    }

    @Test
    void aConnectionOfAnotherWorkspaceOrNoneIsNotFound() {
        WorkspaceId mine = newWorkspace();
        WorkspaceId theirs = newWorkspace();
        ConnectionId theirConnection = activeConnection(commands, theirs, "bob");

        Answer other = get("/v1/connections/" + theirConnection + "/history", token("audit:read", mine));
        Answer unknown = get("/v1/connections/" + ConnectionId.random() + "/history", token("audit:read", mine));

        assertThat(other.status()).isEqualTo(404);
        assertThat(other.json().path("type").asText()).endsWith("/not-found");
        assertThat(unknown.status()).isEqualTo(404);
    }

    @Test
    void theStreamHoldsOnlyTheWorkspacesConnectionEventsInOrderAndPagesWithNext() {
        WorkspaceId workspace = newWorkspace();
        WorkspaceId other = newWorkspace();
        ConnectionId first = activeConnection(commands, workspace, "alice");
        activeConnection(commands, other, "bob");
        ApplicationId application = newApplicationId();
        commands.sendAndWait(asCommand(
                new InstallApplication(application, linearManifest(application)), "admin-1", workspace.value()));
        ConnectionId second = activeConnection(commands, workspace, "carol");
        rename(commands, workspace, first, "renamed");
        List<Long> expected = jdbc.queryForList(
                "select global_index from domain_event_entry where aggregate_identifier in (?, ?) order by global_index",
                Long.class,
                first.value(),
                second.value());
        String token = token("audit:read", workspace);

        List<JsonNode> read = new ArrayList<>();
        long after = 0;
        for (int page = 0; page < 10; page++) {
            Answer answer = get("/v1/events?after=" + after + "&limit=4", token);
            assertThat(answer.status()).isEqualTo(200);
            List<JsonNode> events = list(answer.json().path("events"));
            read.addAll(events);
            long next = answer.json().path("next").asLong();
            assertThat(next).isGreaterThanOrEqualTo(after);
            if (events.isEmpty()) {
                break;
            }
            assertThat(next)
                    .isEqualTo(events.get(events.size() - 1).path("position").asLong());
            after = next;
        }

        assertThat(read).extracting(e -> e.path("position").asLong()).containsExactlyElementsOf(expected);
        Set<String> connections =
                read.stream().map(e -> e.path("connectionId").asText()).collect(Collectors.toSet());
        assertThat(connections).containsExactlyInAnyOrder(first.value(), second.value());
        assertThat(read).noneMatch(e -> e.path("type").asText().startsWith("Application"));
    }

    @Test
    void aShortPageSendsTheNextReadPastOtherWorkspacesEvents() {
        WorkspaceId workspace = newWorkspace();
        activeConnection(commands, workspace, "alice");
        String token = token("audit:read", workspace);
        Answer all = get("/v1/events?after=0&limit=1000", token);
        long next = all.json().path("next").asLong();

        ConnectionId elsewhere = activeConnection(commands, newWorkspace(), "bob");
        Answer nothingNew = get("/v1/events?after=" + next, token);

        assertThat(nothingNew.status()).isEqualTo(200);
        assertThat(nothingNew.json().path("events")).isEmpty();
        Long lastElsewhere = jdbc.queryForObject(
                "select max(global_index) from domain_event_entry where aggregate_identifier = ?",
                Long.class,
                elsewhere.value());
        assertThat(nothingNew.json().path("next").asLong()).isGreaterThanOrEqualTo(lastElsewhere);
    }

    @Test
    void callersNeedTheAuditScopeAndAWorkspace() {
        WorkspaceId workspace = newWorkspace();
        ConnectionId id = activeConnection(commands, workspace, "alice");

        assertThat(get("/v1/events", null).status()).isEqualTo(401);
        assertThat(get("/v1/events", token("connections:read", workspace)).status())
                .isEqualTo(403);
        assertThat(get("/v1/connections/" + id + "/history", token("connections:read", workspace))
                        .status())
                .isEqualTo(403);
        Answer noWorkspace = get("/v1/events", token("audit:read", null));
        assertThat(noWorkspace.status()).isEqualTo(403);
        assertThat(noWorkspace.json().path("type").asText()).endsWith("/forbidden");
    }

    @Test
    void aBadLimitOrPositionIsAValidationError() {
        String token = token("audit:read", newWorkspace());

        Answer zero = get("/v1/events?limit=0", token);
        Answer tooMany = get("/v1/events?limit=1001", token);
        Answer negative = get("/v1/events?after=-1", token);
        Answer notANumber = get("/v1/events?after=soon", token);

        assertThat(zero.status()).isEqualTo(400);
        assertThat(zero.json().path("errors").get(0).path("field").asText()).isEqualTo("limit");
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(negative.status()).isEqualTo(400);
        assertThat(negative.json().path("errors").get(0).path("field").asText()).isEqualTo("after");
        assertThat(notANumber.status()).isEqualTo(400);
    }

    private static List<JsonNode> list(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).toList();
    }
}
