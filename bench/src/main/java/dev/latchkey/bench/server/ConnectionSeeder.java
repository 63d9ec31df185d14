package dev.latchkey.bench.server;

import dev.latchkey.app.writemodel.Actor;
import dev.latchkey.app.authorization.AuthorizationSecrets;
import dev.latchkey.app.writemodel.CommandSender;
import dev.latchkey.app.crypto.ConnectionSecrets;
import dev.latchkey.domain.application.ApplicationId;
import dev.latchkey.domain.application.ProviderName;
import dev.latchkey.domain.connection.CallbackDecision;
import dev.latchkey.domain.connection.CompleteCallback;
import dev.latchkey.domain.connection.ConnectionId;
import dev.latchkey.domain.connection.PendingAuthorization;
import dev.latchkey.domain.connection.RecordCodeExchange;
import dev.latchkey.domain.connection.StartAuthorization;
import dev.latchkey.domain.connection.TokenSet;
import dev.latchkey.domain.connection.UserWorkspaceId;
import dev.latchkey.domain.connection.Visibility;
import dev.latchkey.domain.connection.WorkspaceId;
import dev.latchkey.domain.provider.TokenGrant;
import dev.latchkey.domain.secret.Secret;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.springframework.stereotype.Component;

/**
 * Active connections made the way the browser flow makes them, minus the browser: the same three commands
 * ({@code StartAuthorization}, {@code CompleteCallback}, {@code RecordCodeExchange}) with tokens sealed by the
 * application's own sealer.
 */
@Component
class ConnectionSeeder {

    static final List<String> SCOPES = List.of("read", "write");

    private final CommandSender commands;
    private final ConnectionSecrets secrets;
    private final Clock clock;

    ConnectionSeeder(CommandSender commands, ConnectionSecrets secrets, Clock clock) {
        this.commands = commands;
        this.secrets = secrets;
        this.clock = clock;
    }

    record Owner(WorkspaceId workspace, UserWorkspaceId person, ApplicationId application, ProviderName provider) {}

    List<ConnectionId> seed(Owner owner, int count, Duration expiresIn, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<ConnectionId>> made = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int number = i + 1;
                made.add(pool.submit(() -> connect(owner, number, expiresIn)));
            }
            List<ConnectionId> ids = new ArrayList<>();
            for (Future<ConnectionId> id : made) {
                ids.add(id.get());
            }
            return ids;
        } finally {
            pool.shutdownNow();
        }
    }

    private ConnectionId connect(Owner owner, int number, Duration expiresIn) {
        ConnectionId id = ConnectionId.random();
        Actor actor = new Actor("bench:seed", owner.workspace());
        Secret state = AuthorizationSecrets.random256();
        Secret binding = AuthorizationSecrets.random256();
        commands.send(
                new StartAuthorization(
                        id,
                        owner.workspace(),
                        owner.application(),
                        owner.provider(),
                        owner.person(),
                        Visibility.WORKSPACE,
                        "Bench #" + number,
                        new PendingAuthorization(
                                AuthorizationSecrets.digest(state),
                                AuthorizationSecrets.digest(binding),
                                null,
                                clock.instant().plus(Duration.ofMinutes(10)),
                                null)),
                actor);
        CallbackDecision decision = commands.send(
                new CompleteCallback(id, AuthorizationSecrets.digest(state), AuthorizationSecrets.digest(binding)),
                actor);
        commands.send(
                new RecordCodeExchange(id, decision.decidedAt(), tokens(owner.workspace(), id, expiresIn), null),
                actor);
        return id;
    }

    TokenSet tokens(WorkspaceId workspace, ConnectionId id, Duration expiresIn) {
        Secret access = AuthorizationSecrets.random256();
        Secret refresh = AuthorizationSecrets.random256();
        // the provider's whole answer is kept too (sealed): as large as a real one
        Secret body = Secret.of("{\"access_token\":\"" + access.reveal()
                + "\",\"token_type\":\"Bearer\",\"expires_in\":" + expiresIn.toSeconds() + ",\"refresh_token\":\""
                + refresh.reveal() + "\",\"scope\":\"read write\"}");
        return secrets.seal(workspace, id, new TokenGrant(access, refresh, expiresIn, SCOPES, "Bearer", body), SCOPES);
    }
}
