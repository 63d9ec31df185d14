package dev.latchkey.domain.application;

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
        String scopeSeparator) {

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
}
