package dev.latchkey.oauth;

import com.github.scribejava.core.utils.OAuthEncoder;
import dev.latchkey.domain.application.OAuthSettings;
import dev.latchkey.domain.provider.ProviderClient;
import dev.latchkey.domain.secret.Secret;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The consent URL of RFC 6749 §4.1.1 with PKCE (RFC 7636). The reserved parameters are always the adapter's own: the
 * manifest's {@code authorizationParams} (refused at install time when they try) and a query already on the
 * endpoint cannot set them.
 */
final class AuthorizationUrlBuilder {

    URI build(ProviderClient client, Secret state, Secret codeVerifier) {
        OAuthSettings oauth = client.provider().oauth();
        String endpoint = oauth.authorizationEndpoint();
        int queryStart = endpoint.indexOf('?');
        String base = queryStart < 0 ? endpoint : endpoint.substring(0, queryStart);

        List<String> pairs = new ArrayList<>();
        if (queryStart >= 0) {
            for (String pair : endpoint.substring(queryStart + 1).split("&")) {
                String name = OAuthEncoder.decode(pair.split("=", 2)[0]);
                if (!pair.isEmpty() && !isReserved(name)) {
                    pairs.add(pair);
                }
            }
        }
        new TreeMap<>(oauth.authorizationParams()).forEach((name, value) -> {
            if (!isReserved(name) && value != null) {
                pairs.add(pair(name, value));
            }
        });
        pairs.add(pair("response_type", "code"));
        pairs.add(pair("client_id", client.clientId()));
        pairs.add(pair("redirect_uri", client.redirectUri().toString()));
        if (!oauth.scopes().isEmpty()) {
            pairs.add(pair("scope", String.join(oauth.scopeSeparatorOrDefault(), oauth.scopes())));
        }
        pairs.add(pair("state", state.reveal()));
        if (codeVerifier != null && oauth.usePkceOrDefault()) {
            pairs.add(pair("code_challenge", PkceChallenge.s256(codeVerifier)));
            pairs.add(pair("code_challenge_method", PkceChallenge.METHOD));
        }
        return URI.create(base + "?" + String.join("&", pairs));
    }

    private static boolean isReserved(String name) {
        return OAuthSettings.RESERVED_AUTHORIZATION_PARAMS.contains(name) || name.startsWith("code_");
    }

    private static String pair(String name, String value) {
        return OAuthEncoder.encode(name) + "=" + OAuthEncoder.encode(value);
    }
}
