package dev.latchkey.oauth;

import com.github.scribejava.core.builder.api.DefaultApi20;
import com.github.scribejava.core.oauth2.clientauthentication.ClientAuthentication;
import com.github.scribejava.core.oauth2.clientauthentication.RequestBodyAuthenticationScheme;
import dev.latchkey.domain.application.OAuthSettings;

/** A provider as its manifest describes it, in ScribeJava's terms. */
final class ProviderApi extends DefaultApi20 {

    private final OAuthSettings oauth;

    ProviderApi(OAuthSettings oauth) {
        this.oauth = oauth;
    }

    @Override
    public String getAccessTokenEndpoint() {
        return oauth.tokenEndpoint();
    }

    @Override
    protected String getAuthorizationBaseUrl() {
        return oauth.authorizationEndpoint();
    }

    @Override
    public String getRevokeTokenEndpoint() {
        if (oauth.revokeEndpoint() == null) {
            throw new UnsupportedOperationException("the provider declares no revokeEndpoint");
        }
        return oauth.revokeEndpoint();
    }

    @Override
    public ClientAuthentication getClientAuthentication() {
        return switch (oauth.clientAuthenticationOrDefault()) {
            case CLIENT_SECRET_BASIC -> FormEncodedBasicAuthentication.INSTANCE;
            case CLIENT_SECRET_POST -> RequestBodyAuthenticationScheme.instance();
        };
    }
}
