package dev.latchkey.domain.provider;

import dev.latchkey.domain.secret.Secret;
import java.net.URI;
import java.util.Optional;

/**
 * The domain port for talking to an OAuth 2 provider. Implementations do HTTP and nothing else: no database, no
 * aggregate. Every method is safe to call from many threads and never throws for provider misbehaviour: failures
 * come back classified as an {@link ExchangeFailure}.
 */
public interface ProviderExchange {

    /**
     * The URL a browser is sent to for consent: {@code response_type=code}, client id, redirect URI, scopes, state,
     * and an S256 challenge of {@code codeVerifier} when it is not null.
     */
    URI authorizationUrl(ProviderClient client, Secret state, Secret codeVerifier);

    /** Exchange an authorization code (with its PKCE verifier, or null) for tokens. */
    ExchangeResult exchangeCode(ProviderClient client, Secret code, Secret codeVerifier);

    /** Exchange a refresh token for new tokens, asking for {@code scopes} (empty: the provider's choice). */
    ExchangeResult refresh(ProviderClient client, Secret refreshToken, java.util.List<String> scopes);

    /**
     * Revoke per RFC 7009: the refresh token first, then the access token. Either may be null (then its outcome is
     * {@code UNSUPPORTED}); so is every outcome when the provider has no revocation endpoint.
     */
    RevocationResult revoke(ProviderClient client, Secret refreshToken, Secret accessToken);

    /** The person's handle from the provider's user-info endpoint, or empty when it has none or the lookup failed. */
    Optional<String> fetchHandle(ProviderClient client, Secret accessToken);
}
