package dev.latchkey.oauth;

import dev.latchkey.domain.application.ApplicationId;
import dev.latchkey.domain.application.ClientAuthentication;
import dev.latchkey.domain.application.ConnectionProviderDefinition;
import dev.latchkey.domain.application.OAuthSettings;
import dev.latchkey.domain.application.TokenRequestContentType;
import dev.latchkey.domain.provider.ProviderClient;
import dev.latchkey.domain.secret.Secret;
import java.net.URI;
import java.util.List;
import java.util.Map;

/** A provider manifest and client credentials for tests, with only what a test cares about spelled out. */
final class TestProvider {

    static final String APPLICATION_ID = "b6f1c6a2-3b7d-4a8e-9c1f-0d2e3f4a5b6c";

    private String authorizationEndpoint = "https://provider.example/authorize";
    private String tokenEndpoint = "https://provider.example/token";
    private String revokeEndpoint;
    private List<String> scopes = List.of("read", "write");
    private TokenRequestContentType contentType = TokenRequestContentType.FORM_URLENCODED;
    private ClientAuthentication clientAuthentication = ClientAuthentication.CLIENT_SECRET_POST;
    private boolean usePkce = true;
    private Map<String, String> authorizationParams = Map.of();
    private String userInfoEndpoint;
    private String handleField;
    private String scopeSeparator;
    private String clientId = "latchkey-client";
    private String clientSecret = "client-secret";
    private URI redirectUri = URI.create("https://latchkey.example/apps/oauth/callback");

    static TestProvider provider() {
        return new TestProvider();
    }

    TestProvider authorizationEndpoint(String url) {
        this.authorizationEndpoint = url;
        return this;
    }

    TestProvider tokenEndpoint(String url) {
        this.tokenEndpoint = url;
        return this;
    }

    TestProvider revokeEndpoint(String url) {
        this.revokeEndpoint = url;
        return this;
    }

    TestProvider scopes(String... scopes) {
        this.scopes = List.of(scopes);
        return this;
    }

    TestProvider scopeSeparator(String separator) {
        this.scopeSeparator = separator;
        return this;
    }

    TestProvider json() {
        this.contentType = TokenRequestContentType.JSON;
        return this;
    }

    TestProvider basic() {
        this.clientAuthentication = ClientAuthentication.CLIENT_SECRET_BASIC;
        return this;
    }

    TestProvider usePkce(boolean usePkce) {
        this.usePkce = usePkce;
        return this;
    }

    TestProvider authorizationParams(Map<String, String> params) {
        this.authorizationParams = params;
        return this;
    }

    TestProvider userInfo(String endpoint, String handleField) {
        this.userInfoEndpoint = endpoint;
        this.handleField = handleField;
        return this;
    }

    TestProvider clientId(String clientId) {
        this.clientId = clientId;
        return this;
    }

    TestProvider clientSecret(String clientSecret) {
        this.clientSecret = clientSecret;
        return this;
    }

    TestProvider redirectUri(String redirectUri) {
        this.redirectUri = URI.create(redirectUri);
        return this;
    }

    ProviderClient client() {
        OAuthSettings oauth = new OAuthSettings(
                authorizationEndpoint,
                tokenEndpoint,
                revokeEndpoint,
                scopes,
                "CLIENT_ID",
                "CLIENT_SECRET",
                contentType,
                clientAuthentication,
                usePkce,
                authorizationParams,
                userInfoEndpoint,
                handleField,
                null,
                scopeSeparator);
        ConnectionProviderDefinition provider = new ConnectionProviderDefinition(
                "9c7d1f5e-6a0b-4d44-be0c-3f8b5a9d4e6f", "test-provider", "Test provider", null, "oauth", oauth);
        return new ProviderClient(
                ApplicationId.of(APPLICATION_ID), provider, clientId, Secret.of(clientSecret), redirectUri);
    }
}
