package dev.latchkey.app.flow;

import dev.latchkey.app.authorization.AuthorizationSecrets;
import dev.latchkey.app.crypto.ConnectionSecrets;
import dev.latchkey.app.provider.ProviderClients;
import dev.latchkey.app.provider.ProviderNotReadyException;
import dev.latchkey.app.readmodel.ReadYourWrites;
import dev.latchkey.app.writemodel.Actor;
import dev.latchkey.app.writemodel.CommandSender;
import dev.latchkey.domain.connection.AuthorizationStateRejected;
import dev.latchkey.domain.connection.CallbackDecision;
import dev.latchkey.domain.connection.CompleteCallback;
import dev.latchkey.domain.connection.ConnectionId;
import dev.latchkey.domain.connection.ConnectionRevokedException;
import dev.latchkey.domain.connection.DenyAuthorization;
import dev.latchkey.domain.connection.RecordCodeExchange;
import dev.latchkey.domain.connection.RecordCodeExchangeFailure;
import dev.latchkey.domain.connection.TokenSet;
import dev.latchkey.domain.connection.WorkspaceId;
import dev.latchkey.domain.provider.ExchangeFailure;
import dev.latchkey.domain.provider.ExchangeResult;
import dev.latchkey.domain.provider.ProviderClient;
import dev.latchkey.domain.provider.ProviderExchange;
import dev.latchkey.domain.provider.TokenGrant;
import dev.latchkey.domain.secret.Secret;
import dev.latchkey.domain.secret.SecretField;
import dev.latchkey.query.authorization.AuthorizationState;
import dev.latchkey.query.authorization.AuthorizationStates;
import dev.latchkey.query.authorization.FindAuthorizationState;
import dev.latchkey.query.connection.ConnectionQueries;
import dev.latchkey.query.connection.ConnectionRow;
import dev.latchkey.query.connection.GetConnectionUnscoped;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * The provider's redirect back: decide (the aggregate checks the state and its browser), exchange the code (with
 * the provider, outside any transaction), record the outcome against the decision.
 */
@Service
public class OAuthCallback {

    private static final Logger log = LoggerFactory.getLogger(OAuthCallback.class);
    private static final Pattern ERROR_CODE = Pattern.compile("[a-z_]{1,64}");
    private static final int MAX_PARAMETER = 4096;

    private final AuthorizationStates states;
    private final ConnectionQueries connections;
    private final ProviderClients clients;
    private final ProviderExchange exchange;
    private final ConnectionSecrets secrets;
    private final CommandSender commands;
    private final ReadYourWrites readYourWrites;
    private final Clock clock;
    private final Duration recordRetry;

    public OAuthCallback(
            AuthorizationStates states,
            ConnectionQueries connections,
            ProviderClients clients,
            ProviderExchange exchange,
            ConnectionSecrets secrets,
            CommandSender commands,
            ReadYourWrites readYourWrites,
            Clock clock,
            RefreshBudget budget) {
        this.states = states;
        this.connections = connections;
        this.clients = clients;
        this.exchange = exchange;
        this.secrets = secrets;
        this.commands = commands;
        this.readYourWrites = readYourWrites;
        this.clock = clock;
        this.recordRetry = budget.recordRetry();
    }

    /** The parameters of the redirect, and the binding cookie of the connection the state names (if any). */
    public record Callback(String code, String state, String error, String issuer) {}

    /** Which connection a state belongs to, so the caller can read that connection's binding cookie. */
    public Optional<ConnectionId> connectionOf(String state) {
        if (state == null || state.isBlank() || state.length() > MAX_PARAMETER) {
            return Optional.empty();
        }
        return states.handle(new FindAuthorizationState(AuthorizationSecrets.digest(state)))
                .map(AuthorizationState::connectionId);
    }

    public CallbackOutcome complete(ConnectionId id, Callback callback, String bindingCookie) {
        readYourWrites.awaitConnection(id);
        Optional<ConnectionRow> found = connections.handle(new GetConnectionUnscoped(id));
        if (found.isEmpty()) {
            return CallbackOutcome.rejected("unknown-state");
        }
        ConnectionRow row = found.get();
        WorkspaceId workspace = row.connection().workspaceId();
        Actor actor = Actor.system("oauth-callback", workspace);
        String stateDigest = AuthorizationSecrets.digest(callback.state());
        String bindingDigest = bindingCookie == null ? "" : AuthorizationSecrets.digest(bindingCookie);
        ProviderClient client;
        try {
            client = clients.forProvider(
                    row.connection().applicationId(), row.connection().providerName());
        } catch (ProviderNotReadyException e) {
            return CallbackOutcome.rejected("provider-unavailable");
        }
        String declaredIssuer = client.provider().oauth().issuer();
        if (declaredIssuer != null && callback.issuer() == null) {
            return CallbackOutcome.rejected("issuer-missing");
        }
        if (declaredIssuer != null && !declaredIssuer.equals(callback.issuer())) {
            return CallbackOutcome.rejected("issuer-mismatch");
        }
        try {
            if (callback.error() != null) {
                String error = ERROR_CODE.matcher(callback.error()).matches() ? callback.error() : "invalid_error";
                String returnUrl = commands.send(new DenyAuthorization(id, stateDigest, bindingDigest, error), actor);
                readYourWrites.awaitConnection(id);
                return new CallbackOutcome(id, returnUrl, error, false);
            }
            if (callback.code() == null
                    || callback.code().isBlank()
                    || callback.code().length() > MAX_PARAMETER) {
                return CallbackOutcome.rejected("missing-code");
            }
            CallbackDecision decision = commands.send(new CompleteCallback(id, stateDigest, bindingDigest), actor);
            String error = exchangeAndRecord(row, client, callback.code(), decision, actor);
            readYourWrites.awaitConnection(id);
            return new CallbackOutcome(id, decision.returnUrl(), error, false);
        } catch (AuthorizationStateRejected | ConnectionRevokedException e) {
            log.info("callback for connection {} refused: {}", id, e.getMessage());
            return CallbackOutcome.rejected(
                    e instanceof AuthorizationStateRejected r ? r.reason().name() : "revoked");
        }
    }

    /**
     * Records the grant, retrying through database blips ({@link RecordingRetry}); a grant that cannot be recorded
     * (the blip outlasts the retries, or the decision is refused) is revoked at the provider, so no live token is left
     * that Latchkey does not hold, and the failure goes on to the caller.
     */
    private void record(
            ConnectionId id,
            WorkspaceId workspace,
            ProviderClient client,
            CallbackDecision decision,
            TokenGrant grant,
            String handle,
            Actor actor) {
        // sealed once: a retry sends the same ciphertext
        TokenSet[] sealed = {null};
        try {
            RecordingRetry.run(clock, recordRetry, () -> {
                if (sealed[0] == null) {
                    sealed[0] = secrets.seal(
                            workspace, id, grant, client.provider().oauth().scopes(), client.tokenLifetimes());
                }
                return commands.send(new RecordCodeExchange(id, decision.decidedAt(), sealed[0], handle), actor);
            });
        } catch (RuntimeException e) {
            log.warn(
                    "the code exchange of connection {} could not be recorded ({}); its tokens are revoked at the "
                            + "provider",
                    id,
                    e.getClass().getSimpleName());
            exchange.revoke(client, grant.refreshToken(), grant.accessToken());
            throw e;
        }
    }

    /** @return null on success, else why the exchange failed */
    private String exchangeAndRecord(
            ConnectionRow row, ProviderClient client, String code, CallbackDecision decision, Actor actor) {
        ConnectionId id = row.connection().id();
        WorkspaceId workspace = row.connection().workspaceId();
        Secret verifier = secrets.unseal(workspace, id, SecretField.CODE_VERIFIER, decision.codeVerifier());
        ExchangeResult result = exchange.exchangeCode(client, Secret.of(code), verifier);
        if (result instanceof TokenGrant grant) {
            String handle = client.provider().oauth().userInfoEndpoint() == null
                    ? null
                    : exchange.fetchHandle(client, grant.accessToken()).orElse(null);
            record(id, workspace, client, decision, grant, handle, actor);
            return null;
        }
        ExchangeFailure failure = (ExchangeFailure) result;
        log.info(
                "code exchange for connection {} failed: {} ({})",
                id,
                failure.kind().wire(),
                failure.reason());
        commands.send(new RecordCodeExchangeFailure(id, decision.decidedAt(), failure.kind(), failure.reason()), actor);
        return failure.reason();
    }
}
