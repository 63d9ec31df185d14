package dev.latchkey.domain.provider;

import dev.latchkey.domain.secret.Secret;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A successful token response.
 *
 * @param refreshToken null when the provider sent none
 * @param expiresIn null when the provider sent no {@code expires_in}
 * @param grantedScopes null when the provider did not say which scopes it granted
 * @param rawResponse the whole JSON response, for provider-specific fields
 * @param refreshTokenExpiresIn how long the refresh token lives, when the provider said; null otherwise
 */
public record TokenGrant(
        Secret accessToken,
        Secret refreshToken,
        Duration expiresIn,
        List<String> grantedScopes,
        String tokenType,
        Secret rawResponse,
        Duration refreshTokenExpiresIn)
        implements ExchangeResult {

    public TokenGrant {
        Objects.requireNonNull(accessToken, "accessToken");
        grantedScopes = grantedScopes == null ? null : List.copyOf(grantedScopes);
    }

    /** A grant that says nothing of its refresh token's lifetime. */
    public TokenGrant(
            Secret accessToken,
            Secret refreshToken,
            Duration expiresIn,
            List<String> grantedScopes,
            String tokenType,
            Secret rawResponse) {
        this(accessToken, refreshToken, expiresIn, grantedScopes, tokenType, rawResponse, null);
    }
}
