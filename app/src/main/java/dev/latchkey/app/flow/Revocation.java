package dev.latchkey.app.flow;

import dev.latchkey.app.crypto.ConnectionSecrets;
import dev.latchkey.app.provider.ProviderClients;
import dev.latchkey.app.provider.ProviderNotReadyException;
import dev.latchkey.app.readmodel.ReadYourWrites;
import dev.latchkey.app.writemodel.Actor;
import dev.latchkey.app.writemodel.CommandSender;
import dev.latchkey.domain.connection.RecordRevocation;
import dev.latchkey.domain.connection.RevocationDecision;
import dev.latchkey.domain.connection.RevocationOutcome;
import dev.latchkey.domain.connection.Revoke;
import dev.latchkey.domain.connection.StaleOutcomeException;
import dev.latchkey.domain.connection.UserWorkspaceId;
import dev.latchkey.domain.provider.ProviderClient;
import dev.latchkey.domain.provider.ProviderExchange;
import dev.latchkey.domain.provider.RevocationResult;
import dev.latchkey.domain.secret.SecretField;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Disconnecting a connection: decide (the aggregate checks who may and answers the sealed tokens), exchange (RFC 7009
 * revocation at the provider, outside any transaction, best effort), record (the outcome, against the decision). A
 * refresh decided before the disconnect may land meanwhile; its tokens are then revoked too, by deciding again.
 */
@Component
public class Revocation {

    /** A refresh decided before the disconnect can land once; a third decision would mean something else is wrong. */
    static final int DECISIONS = 3;

    private final CommandSender commands;
    private final ProviderClients clients;
    private final ProviderExchange exchange;
    private final ConnectionSecrets secrets;
    private final ReadYourWrites readYourWrites;

    public Revocation(
            CommandSender commands,
            ProviderClients clients,
            ProviderExchange exchange,
            ConnectionSecrets secrets,
            ReadYourWrites readYourWrites) {
        this.commands = commands;
        this.clients = clients;
        this.exchange = exchange;
        this.secrets = secrets;
        this.readYourWrites = readYourWrites;
    }

    /** A member disconnects: the OAuth client is the application's current one (none: the outcomes are failed). */
    public RevocationResult disconnect(ConnectionTarget target, UserWorkspaceId requestedBy, Actor actor) {
        ProviderClient client;
        try {
            client = clients.forProvider(target.applicationId(), target.providerName());
        } catch (ProviderNotReadyException e) {
            client = null;
        }
        return revoke(target, requestedBy, client, actor);
    }

    /**
     * @param requestedBy the member who asked, or null when the system does it
     * @param client the OAuth client to revoke with, or null when it can no longer be built
     */
    public RevocationResult revoke(
            ConnectionTarget target, UserWorkspaceId requestedBy, ProviderClient client, Actor actor) {
        return revoke(target, requestedBy, client, actor, true).orElseThrow();
    }

    /**
     * One attempt of a revocation that will be tried again: when the provider fails (a {@code FAILED} outcome, such
     * as a 503 or a timeout) nothing is recorded, the connection keeps its tokens, and the answer is empty. Otherwise
     * as {@link #revoke(ConnectionTarget, UserWorkspaceId, ProviderClient, Actor)}.
     *
     * @throws dev.latchkey.domain.connection.ConnectionRevokedException when it was revoked already
     */
    public Optional<RevocationResult> attempt(ConnectionTarget target, ProviderClient client, Actor actor) {
        return revoke(target, null, client, actor, false);
    }

    private Optional<RevocationResult> revoke(
            ConnectionTarget target,
            UserWorkspaceId requestedBy,
            ProviderClient client,
            Actor actor,
            boolean recordFailure) {
        for (int decision = 1; ; decision++) {
            RevocationDecision decided = commands.send(new Revoke(target.connectionId(), requestedBy), actor);
            // reads hand out no token of the connection any more before those tokens die at the provider
            readYourWrites.awaitConnection(target.connectionId());
            RevocationResult result = revokeAtProvider(target, decided, client);
            if (!recordFailure && failed(result)) {
                return Optional.empty();
            }
            try {
                commands.send(
                        new RecordRevocation(
                                target.connectionId(),
                                decided.decidedAt(),
                                result.refreshToken(),
                                result.accessToken()),
                        actor);
                readYourWrites.awaitConnection(target.connectionId());
                return Optional.of(result);
            } catch (StaleOutcomeException e) {
                if (decision == DECISIONS) {
                    throw e;
                }
            }
        }
    }

    private static boolean failed(RevocationResult result) {
        return result.refreshToken() == RevocationOutcome.FAILED || result.accessToken() == RevocationOutcome.FAILED;
    }

    private RevocationResult revokeAtProvider(
            ConnectionTarget target, RevocationDecision decided, ProviderClient client) {
        if (decided.refreshToken() == null && decided.accessToken() == null) {
            return new RevocationResult(RevocationOutcome.UNSUPPORTED, RevocationOutcome.UNSUPPORTED);
        }
        if (client == null) {
            return new RevocationResult(RevocationOutcome.FAILED, RevocationOutcome.FAILED);
        }
        return exchange.revoke(
                client,
                secrets.unseal(
                        target.workspaceId(), target.connectionId(), SecretField.REFRESH_TOKEN, decided.refreshToken()),
                secrets.unseal(
                        target.workspaceId(), target.connectionId(), SecretField.ACCESS_TOKEN, decided.accessToken()));
    }
}
