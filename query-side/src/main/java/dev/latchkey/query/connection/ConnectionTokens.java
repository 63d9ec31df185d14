package dev.latchkey.query.connection;

import dev.latchkey.domain.secret.Sealed;
import java.util.Objects;

/**
 * A connection's tokens, sealed, kept apart from its public fields so that serialising a {@link ConnectionView}
 * can never print one. Only the credentials path unseals the access token; the refresh token is never handed out.
 *
 * @param refreshToken null when the provider issued none
 * @param tokenResponse null when none was kept
 */
public record ConnectionTokens(Sealed accessToken, Sealed refreshToken, String tokenType, Sealed tokenResponse) {

    public ConnectionTokens {
        Objects.requireNonNull(accessToken, "accessToken");
    }

    @Override
    public String toString() {
        return "ConnectionTokens[***]";
    }
}
