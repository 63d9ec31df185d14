package dev.latchkey.domain.connection;

import dev.latchkey.domain.secret.Sealed;
import java.time.Instant;
import java.util.Objects;

/**
 * One authorization attempt waiting for its callback. The state and the browser-binding value are kept only as
 * SHA-256 digests (hex); the PKCE verifier only sealed.
 *
 * @param codeVerifier null when the provider does not use PKCE
 * @param returnUrl an allow-listed URL the browser goes back to, or null for the built-in result page
 */
public record PendingAuthorization(
        String stateDigest, String bindingDigest, Sealed codeVerifier, Instant expiresAt, String returnUrl) {

    public PendingAuthorization {
        Objects.requireNonNull(stateDigest, "stateDigest");
        Objects.requireNonNull(bindingDigest, "bindingDigest");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
