package dev.latchkey.app.crypto;

import dev.latchkey.domain.application.TokenLifetimes;
import dev.latchkey.domain.connection.ConnectionId;
import dev.latchkey.domain.connection.TokenSet;
import dev.latchkey.domain.connection.WorkspaceId;
import dev.latchkey.domain.provider.TokenGrant;
import dev.latchkey.domain.secret.Sealed;
import dev.latchkey.domain.secret.SealingContext;
import dev.latchkey.domain.secret.Secret;
import dev.latchkey.domain.secret.SecretField;
import dev.latchkey.domain.secret.SecretSealer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.springframework.stereotype.Component;

/** Seals and unseals the secrets of one connection, each bound to its workspace, connection and field. */
@Component
public class ConnectionSecrets {

    private final SecretSealer sealer;
    private final Clock clock;

    public ConnectionSecrets(SecretSealer sealer, Clock clock) {
        this.sealer = sealer;
        this.clock = clock;
    }

    /**
     * These secrets for one answer that unseals {@code toUnseal}: their keys are read once for all of them
     * ({@link SecretSealer#forOneUse}).
     */
    public ConnectionSecrets forOneAnswer(Collection<Sealed> toUnseal) {
        return new ConnectionSecrets(sealer.forOneUse(toUnseal), clock);
    }

    /** The longest token lifetime kept, whatever the provider says. */
    public static final Duration MAX_EXPIRES_IN = Duration.ofDays(365);

    /** The longest refresh-token lifetime kept (QuickBooks' hard limit is five years). */
    public static final Duration MAX_REFRESH_TOKEN_EXPIRES_IN = Duration.ofDays(3660);

    public Sealed seal(WorkspaceId workspace, ConnectionId connection, SecretField field, Secret secret) {
        return secret == null ? null : sealer.seal(secret, SealingContext.forConnection(workspace, connection, field));
    }

    public Secret unseal(WorkspaceId workspace, ConnectionId connection, SecretField field, Sealed sealed) {
        return sealed == null
                ? null
                : sealer.unseal(sealed, SealingContext.forConnection(workspace, connection, field));
    }

    /**
     * The tokens of a grant as the connection stores them: sealed, expiring at {@code now + expires_in}, with the
     * granted scopes or, when the provider did not say, the requested ones. An {@code expires_in} beyond
     * {@link #MAX_EXPIRES_IN} counts as that (the adapter caps it too; no value may make this throw and lose the
     * grant), a negative one as already expired. The refresh token's lifetime, when the provider said it, is kept
     * the same way, up to {@link #MAX_REFRESH_TOKEN_EXPIRES_IN}.
     */
    public TokenSet seal(WorkspaceId workspace, ConnectionId connection, TokenGrant grant, List<String> requested) {
        return seal(workspace, connection, grant, requested, TokenLifetimes.AS_EACH_RESPONSE_SAYS);
    }

    /**
     * As {@link #seal(WorkspaceId, ConnectionId, TokenGrant, List)}, with what the provider's manifest says of its
     * tokens: its {@code defaultExpiresIn} when the response gives none, no expiry when its tokens never expire, and a
     * {@code refreshBy} its {@code keepAlive} from now.
     */
    public TokenSet seal(
            WorkspaceId workspace,
            ConnectionId connection,
            TokenGrant grant,
            List<String> requested,
            TokenLifetimes lifetimes) {
        Duration lifetime = lifetimes.accessTokenLifetime(grant.expiresIn());
        Instant expiresAt = lifetime == null ? null : expiresAt(lifetime, MAX_EXPIRES_IN);
        Instant refreshBy = lifetimes.keepAlive() == null || grant.refreshToken() == null
                ? null
                : expiresAt(lifetimes.keepAlive(), MAX_REFRESH_TOKEN_EXPIRES_IN);
        Instant refreshTokenExpiresAt = grant.refreshTokenExpiresIn() == null || grant.refreshToken() == null
                ? null
                : expiresAt(grant.refreshTokenExpiresIn(), MAX_REFRESH_TOKEN_EXPIRES_IN);
        // the connection's data key looked up once for the three values
        ConnectionSecrets once = new ConnectionSecrets(sealer.forOneUse(List.of()), clock);
        return new TokenSet(
                once.seal(workspace, connection, SecretField.ACCESS_TOKEN, grant.accessToken()),
                once.seal(workspace, connection, SecretField.REFRESH_TOKEN, grant.refreshToken()),
                expiresAt,
                grant.grantedScopes() == null ? requested : grant.grantedScopes(),
                grant.tokenType(),
                once.seal(workspace, connection, SecretField.TOKEN_RESPONSE, grant.rawResponse()),
                refreshTokenExpiresAt,
                refreshBy);
    }

    private Instant expiresAt(Duration expiresIn, Duration max) {
        Duration bounded = expiresIn.isNegative() ? Duration.ZERO : expiresIn.compareTo(max) > 0 ? max : expiresIn;
        return clock.instant().plus(bounded);
    }
}
