package dev.latchkey.query.connection;

import com.fasterxml.jackson.annotation.JsonIgnoreType;
import dev.latchkey.domain.secret.Sealed;
import java.util.Objects;

/**
 * A connection's tokens, sealed, kept apart from its public fields so that serialising a {@link ConnectionView}
 * can never print one. Only the credentials path unseals the access token; the refresh token is never handed out.
 * Jackson leaves it out of any JSON: serialising a whole row by mistake prints no ciphertext.
 *
 * @param refreshToken null when the provider issued none
 * @param tokenResponse null when none was kept
 */
@JsonIgnoreType
public record ConnectionTokens(Sealed accessToken, Sealed refreshToken, String tokenType, Sealed tokenResponse) {

    public ConnectionTokens {
        Objects.requireNonNull(accessToken, "accessToken");
    }

    @Override
    public String toString() {
        return "ConnectionTokens[***]";
    }
}
