package dev.latchkey.domain.connection;

import dev.latchkey.domain.secret.Sealed;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Tokens as a connection holds them, sealed.
 *
 * @param refreshToken null when the provider issued none
 * @param accessTokenExpiresAt null when the provider gave no {@code expires_in}
 * @param scopes the scopes the provider granted (or the requested ones when it did not say)
 * @param tokenResponse the provider's whole token response, sealed, for provider-specific fields
 * @param refreshTokenExpiresAt when the refresh token lapses, as the provider said ({@code refresh_token_expires_in}
 *     and the like); null when it did not (events recorded before this field was added have none)
 * @param refreshBy refresh the grant by then however long the access token lives (the provider's {@code keepAlive}),
 *     or null
 */
public record TokenSet(
        Sealed accessToken,
        Sealed refreshToken,
        Instant accessTokenExpiresAt,
        List<String> scopes,
        String tokenType,
        Sealed tokenResponse,
        Instant refreshTokenExpiresAt,
        Instant refreshBy) {

    public TokenSet {
        Objects.requireNonNull(accessToken, "accessToken");
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
    }

    /** Tokens whose refresh token's lifetime the provider did not say. */
    public TokenSet(
            Sealed accessToken,
            Sealed refreshToken,
            Instant accessTokenExpiresAt,
            List<String> scopes,
            String tokenType,
            Sealed tokenResponse) {
        this(accessToken, refreshToken, accessTokenExpiresAt, scopes, tokenType, tokenResponse, null, null);
    }

    /**
     * When these tokens are due for a refresh by time: the earlier of the access token's expiry and
     * {@link #refreshBy}; null when time never refreshes them.
     */
    public Instant dueAt() {
        if (accessTokenExpiresAt == null) {
            return refreshBy;
        }
        return refreshBy == null || accessTokenExpiresAt.isBefore(refreshBy) ? accessTokenExpiresAt : refreshBy;
    }

    /** A response without a refresh token keeps the previous one, and that one's expiry. */
    TokenSet keepingRefreshTokenOf(TokenSet previous) {
        if (refreshToken != null || previous == null) {
            return this;
        }
        return new TokenSet(
                accessToken,
                previous.refreshToken(),
                accessTokenExpiresAt,
                scopes,
                tokenType,
                tokenResponse,
                previous.refreshTokenExpiresAt(),
                refreshBy);
    }
}
