package dev.latchkey.query.connection;

import dev.latchkey.domain.application.ApplicationId;
import dev.latchkey.domain.application.ProviderName;
import dev.latchkey.domain.connection.AuthorizationStarted;
import dev.latchkey.domain.connection.ConnectionId;
import dev.latchkey.domain.connection.PendingAuthorization;
import dev.latchkey.domain.connection.TokenSet;
import dev.latchkey.domain.connection.UserWorkspaceId;
import dev.latchkey.domain.connection.Visibility;
import dev.latchkey.domain.connection.WorkspaceId;
import dev.latchkey.domain.secret.Sealed;
import java.time.Instant;
import java.util.List;

/** Values and events the connection tests share. */
final class ConnectionEvents {

    static final WorkspaceId WORKSPACE = WorkspaceId.of("ws-1");
    static final WorkspaceId OTHER_WORKSPACE = WorkspaceId.of("ws-2");
    static final ApplicationId APP = ApplicationId.of("6b1f0c0e-0000-4000-8000-00000000000a");
    static final ApplicationId OTHER_APP = ApplicationId.of("6b1f0c0e-0000-4000-8000-00000000000b");
    static final ProviderName LINEAR = ProviderName.of("linear");
    static final ProviderName GITHUB = ProviderName.of("github");
    static final UserWorkspaceId ALICE = UserWorkspaceId.of("uw-alice");
    static final UserWorkspaceId BOB = UserWorkspaceId.of("uw-bob");

    private ConnectionEvents() {}

    static AuthorizationStarted started(ConnectionId id, UserWorkspaceId owner, Visibility visibility) {
        return started(id, WORKSPACE, APP, LINEAR, owner, visibility);
    }

    static AuthorizationStarted started(
            ConnectionId id,
            WorkspaceId workspace,
            ApplicationId app,
            ProviderName provider,
            UserWorkspaceId owner,
            Visibility visibility) {
        return new AuthorizationStarted(
                id, workspace, app, provider, owner, visibility, "Linear #1", pending("state-" + id.value()));
    }

    static PendingAuthorization pending(String stateDigest) {
        return new PendingAuthorization(
                stateDigest, "binding", sealed("verifier"), Instant.parse("2026-03-01T09:10:00Z"), null);
    }

    static TokenSet tokens(String generation, Instant expiresAt) {
        return new TokenSet(
                sealed("access-" + generation),
                sealed("refresh-" + generation),
                expiresAt,
                List.of("read", "write"),
                "Bearer",
                sealed("response-" + generation));
    }

    static Sealed sealed(String what) {
        return new Sealed("key-1", "CIPHERTEXT-OF-" + what);
    }
}
