package dev.latchkey.oauth;

import com.github.scribejava.core.httpclient.HttpClient;
import com.github.scribejava.core.model.OAuthRequest;
import com.github.scribejava.core.model.Verb;
import com.github.scribejava.core.oauth.AccessTokenRequestParams;
import com.github.scribejava.core.oauth.OAuth20Service;
import com.github.scribejava.core.revoke.TokenTypeHint;
import dev.latchkey.domain.application.OAuthSettings;
import dev.latchkey.domain.application.TokenRequestContentType;
import dev.latchkey.domain.provider.ProviderClient;
import dev.latchkey.domain.secret.Secret;
import java.util.List;

/**
 * ScribeJava's OAuth 2 service for one {@link ProviderClient}. It only builds requests: sending them and reading the
 * answers is the adapter's job, because ScribeJava's extractors read whole bodies and put them in exception messages.
 * No default scope (ScribeJava would send it on every request) and no debug stream (it logs secrets).
 */
final class ProviderOAuth20Service extends OAuth20Service {

    private static final String USER_AGENT = "Latchkey";

    private final OAuthSettings oauth;

    ProviderOAuth20Service(ProviderClient client, HttpClient httpClient) {
        super(
                new ProviderApi(client.provider().oauth()),
                client.clientId(),
                client.clientSecret().reveal(),
                client.redirectUri().toString(),
                null,
                "code",
                null,
                USER_AGENT,
                null,
                httpClient);
        this.oauth = client.provider().oauth();
    }

    OAuthRequest codeExchangeRequest(Secret code, Secret codeVerifier) {
        AccessTokenRequestParams params = AccessTokenRequestParams.create(code.reveal());
        if (codeVerifier != null && oauth.usePkceOrDefault()) {
            params.pkceCodeVerifier(codeVerifier.reveal());
        }
        return createAccessTokenRequest(params);
    }

    OAuthRequest refreshRequest(Secret refreshToken, List<String> scopes) {
        String scope = scopes == null || scopes.isEmpty() ? null : String.join(oauth.scopeSeparatorOrDefault(), scopes);
        return createRefreshTokenRequest(refreshToken.reveal(), scope);
    }

    OAuthRequest revocationRequest(Secret token, TokenTypeHint hint) {
        return createRevokeTokenRequest(token.reveal(), hint);
    }

    OAuthRequest userInfoRequest(Secret accessToken) {
        OAuthRequest request = new OAuthRequest(Verb.GET, oauth.userInfoEndpoint());
        request.addHeader("Accept", "application/json");
        signRequest(accessToken.reveal(), request);
        return request;
    }

    @Override
    protected OAuthRequest createAccessTokenRequest(AccessTokenRequestParams params) {
        return TokenRequestBody.encode(
                super.createAccessTokenRequest(params), oauth.tokenRequestContentTypeOrDefault());
    }

    @Override
    protected OAuthRequest createRefreshTokenRequest(String refreshToken, String scope) {
        return TokenRequestBody.encode(
                super.createRefreshTokenRequest(refreshToken, scope), oauth.tokenRequestContentTypeOrDefault());
    }

    /** RFC 7009 §2.1 defines the revocation request as form-urlencoded, whatever the token endpoint wants. */
    @Override
    protected OAuthRequest createRevokeTokenRequest(String tokenToRevoke, TokenTypeHint tokenTypeHint) {
        return TokenRequestBody.encode(
                super.createRevokeTokenRequest(tokenToRevoke, tokenTypeHint), TokenRequestContentType.FORM_URLENCODED);
    }
}
