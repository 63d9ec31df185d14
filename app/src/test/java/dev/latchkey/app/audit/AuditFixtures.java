package dev.latchkey.app.audit;

import static dev.latchkey.app.TestMessages.asCommand;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.app.LatchkeySpringTest;
import dev.latchkey.app.security.DevTokenCommand;
import dev.latchkey.domain.application.ApplicationId;
import dev.latchkey.domain.application.ProviderName;
import dev.latchkey.domain.connection.CallbackDecision;
import dev.latchkey.domain.connection.CompleteCallback;
import dev.latchkey.domain.connection.ConnectionId;
import dev.latchkey.domain.connection.PendingAuthorization;
import dev.latchkey.domain.connection.RecordCodeExchange;
import dev.latchkey.domain.connection.RecordRefresh;
import dev.latchkey.domain.connection.RefreshDecision;
import dev.latchkey.domain.connection.RefreshToken;
import dev.latchkey.domain.connection.RenameConnection;
import dev.latchkey.domain.connection.StartAuthorization;
import dev.latchkey.domain.connection.TokenSet;
import dev.latchkey.domain.connection.UserWorkspaceId;
import dev.latchkey.domain.connection.Visibility;
import dev.latchkey.domain.connection.WorkspaceId;
import dev.latchkey.domain.secret.Sealed;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.axonframework.commandhandling.gateway.CommandGateway;

/** Connections driven through their commands, and audit reads over HTTP, for the audit tests. */
final class AuditFixtures {

    static final UserWorkspaceId OWNER = UserWorkspaceId.of("uw-owner");
    static final String STATE_DIGEST = "a".repeat(64);
    static final String BINDING_DIGEST = "b".repeat(64);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private AuditFixtures() {}

    static WorkspaceId newWorkspace() {
        return WorkspaceId.of("ws-audit-" + UUID.randomUUID());
    }

    /** A sealed value whose ciphertext names what it is, so a test can look for it in an answer. */
    static Sealed sealed(String what) {
        return new Sealed("key-" + what, "CIPHERTEXT-" + what);
    }

    static TokenSet tokens(String generation) {
        return new TokenSet(
                sealed("access-" + generation),
                sealed("refresh-" + generation),
                Instant.parse("2030-01-01T00:00:00Z"),
                List.of("read", "write"),
                "Bearer",
                sealed("response-" + generation));
    }

    /** Started, called back, established, refreshed once: five events, sequences 0 to 4. */
    static ConnectionId activeConnection(CommandGateway commands, WorkspaceId workspace, String actor) {
        ConnectionId id = ConnectionId.random();
        commands.sendAndWait(asCommand(
                new StartAuthorization(
                        id,
                        workspace,
                        ApplicationId.of(UUID.randomUUID().toString()),
                        ProviderName.of("linear"),
                        OWNER,
                        Visibility.USER,
                        "Linear #1",
                        new PendingAuthorization(
                                STATE_DIGEST,
                                BINDING_DIGEST,
                                sealed("verifier"),
                                Instant.now().plus(Duration.ofMinutes(10)),
                                "https://crm.example.com/settings/apps")),
                actor,
                workspace.value()));
        CallbackDecision decision = commands.sendAndWait(asCommand(
                new CompleteCallback(id, STATE_DIGEST, BINDING_DIGEST), "system:oauth-callback", workspace.value()));
        commands.sendAndWait(asCommand(
                new RecordCodeExchange(id, decision.decidedAt(), tokens("1"), "alice@example.com"),
                "system:oauth-callback",
                workspace.value()));
        RefreshDecision.Proceed refresh = commands.sendAndWait(asCommand(
                new RefreshToken(id, Duration.ofSeconds(60), true, Duration.ofSeconds(30)), actor, workspace.value()));
        commands.sendAndWait(
                asCommand(new RecordRefresh(id, refresh.decidedAt(), tokens("2")), actor, workspace.value()));
        return id;
    }

    static void rename(CommandGateway commands, WorkspaceId workspace, ConnectionId id, String name) {
        commands.sendAndWait(asCommand(new RenameConnection(id, OWNER, name), "member-1", workspace.value()));
    }

    static String token(String scope, WorkspaceId workspace) {
        Map<String, String> claims = new HashMap<>();
        claims.put("sub", "auditor-1");
        claims.put("scope", scope);
        if (workspace != null) {
            claims.put("wid", workspace.value());
        }
        return DevTokenCommand.mint(
                claims, LatchkeySpringTest.TEST_JWT_SECRET.getBytes(StandardCharsets.UTF_8), Instant.now());
    }

    record Answer(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON: " + body, e);
            }
        }
    }

    static Answer get(String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(LatchkeySpringTest.PUBLIC_URL + path))
                .timeout(Duration.ofSeconds(30))
                .GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
