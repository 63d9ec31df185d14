package dev.latchkey.app.authorization;

import dev.latchkey.app.crypto.ConnectionSecrets;
import dev.latchkey.domain.connection.ConnectionId;
import dev.latchkey.domain.connection.PendingAuthorization;
import dev.latchkey.domain.connection.WorkspaceId;
import dev.latchkey.domain.provider.ProviderClient;
import dev.latchkey.domain.provider.ProviderExchange;
import dev.latchkey.domain.secret.Secret;
import dev.latchkey.domain.secret.SecretField;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * Prepares one authorization attempt: a fresh state, browser-binding value and PKCE verifier (when the provider
 * uses PKCE), what the aggregate keeps of them (digests, the sealed verifier), and the provider URL.
 */
@Component
public class AuthorizationAttempts {

    /** How long a state stays valid: consent screens can be slow, replays should not be. */
    public static final Duration STATE_LIFETIME = Duration.ofMinutes(10);

    private final ProviderExchange exchange;
    private final ConnectionSecrets secrets;
    private final Clock clock;

    public AuthorizationAttempts(ProviderExchange exchange, ConnectionSecrets secrets, Clock clock) {
        this.exchange = exchange;
        this.secrets = secrets;
        this.clock = clock;
    }

    /**
     * @param pending what the aggregate records
     * @param providerUrl where the browser goes for consent (it carries the state)
     * @param binding the browser cookie's value
     */
    public record Attempt(PendingAuthorization pending, URI providerUrl, Secret binding) {}

    public Attempt prepare(WorkspaceId workspace, ConnectionId connection, ProviderClient client, String returnUrl) {
        Secret state = AuthorizationSecrets.random256();
        Secret binding = AuthorizationSecrets.random256();
        Secret verifier = client.provider().oauth().usePkceOrDefault() ? AuthorizationSecrets.random256() : null;
        PendingAuthorization pending = new PendingAuthorization(
                AuthorizationSecrets.digest(state),
                AuthorizationSecrets.digest(binding),
                secrets.seal(workspace, connection, SecretField.CODE_VERIFIER, verifier),
                clock.instant().plus(STATE_LIFETIME),
                returnUrl);
        return new Attempt(pending, exchange.authorizationUrl(client, state, verifier), binding);
    }
}
