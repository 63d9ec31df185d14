package dev.latchkey.domain.application;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The OAuth block of a connection provider. Optional fields are null when the manifest left them out; the
 * accessors with defaults apply the seed's defaults in one place.
 */
public record OAuthSettings(
        String authorizationEndpoint,
        String tokenEndpoint,
        String revokeEndpoint,
        List<String> scopes,
        String clientIdVariable,
        String clientSecretVariable,
        TokenRequestContentType tokenRequestContentType,
        ClientAuthentication clientAuthentication,
        Boolean usePkce,
        Map<String, String> authorizationParams,
        String userInfoEndpoint,
        String handleField,
        String issuer,
        String scopeSeparator,
        Long defaultExpiresIn,
        Boolean tokensExpire,
        String keepAlive) {

    /** Parameters of the authorization request that {@code authorizationParams} may never set. */
    public static final Set<String> RESERVED_AUTHORIZATION_PARAMS = Set.of(
            "response_type", "client_id", "redirect_uri", "state", "scope", "code_challenge", "code_challenge_method");

    /** Null elements are kept (unmodifiable) so that {@link ManifestValidator} names them, instead of failing here. */
    public OAuthSettings {
        scopes = scopes == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(scopes));
        authorizationParams = authorizationParams == null
                ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(authorizationParams));
    }

    public TokenRequestContentType tokenRequestContentTypeOrDefault() {
        return tokenRequestContentType == null ? TokenRequestContentType.JSON : tokenRequestContentType;
    }

    public ClientAuthentication clientAuthenticationOrDefault() {
        return clientAuthentication == null ? ClientAuthentication.CLIENT_SECRET_POST : clientAuthentication;
    }

    public boolean usePkceOrDefault() {
        return usePkce == null || usePkce;
    }

    public String scopeSeparatorOrDefault() {
        return scopeSeparator == null ? " " : scopeSeparator;
    }

    /** The provider's settings without the token-lifetime fields (they are all optional). */
    public OAuthSettings(
            String authorizationEndpoint,
            String tokenEndpoint,
            String revokeEndpoint,
            List<String> scopes,
            String clientIdVariable,
            String clientSecretVariable,
            TokenRequestContentType tokenRequestContentType,
            ClientAuthentication clientAuthentication,
            Boolean usePkce,
            Map<String, String> authorizationParams,
            String userInfoEndpoint,
            String handleField,
            String issuer,
            String scopeSeparator) {
        this(
                authorizationEndpoint,
                tokenEndpoint,
                revokeEndpoint,
                scopes,
                clientIdVariable,
                clientSecretVariable,
                tokenRequestContentType,
                clientAuthentication,
                usePkce,
                authorizationParams,
                userInfoEndpoint,
                handleField,
                issuer,
                scopeSeparator,
                null,
                null,
                null);
    }

    /** The lifetimes the manifest declares; call only on settings {@link ManifestValidator} accepted. */
    public TokenLifetimes tokenLifetimes() {
        return new TokenLifetimes(
                defaultExpiresIn == null ? null : Duration.ofSeconds(defaultExpiresIn),
                tokensExpire == null || tokensExpire,
                keepAlive == null ? null : Duration.parse(keepAlive));
    }
}
