package dev.latchkey.domain.provider;

import dev.latchkey.domain.application.ApplicationId;
import dev.latchkey.domain.application.ConnectionProviderDefinition;
import dev.latchkey.domain.application.TokenLifetimes;
import dev.latchkey.domain.secret.Secret;
import java.net.URI;
import java.util.Objects;

/**
 * One provider of one application with the client credentials a server admin set: everything an exchange needs.
 * Two instances with equal fields describe the same OAuth client (adapters may cache per instance).
 */
public record ProviderClient(
        ApplicationId applicationId,
        ConnectionProviderDefinition provider,
        String clientId,
        Secret clientSecret,
        URI redirectUri) {

    public ProviderClient {
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(clientSecret, "clientSecret");
        Objects.requireNonNull(redirectUri, "redirectUri");
    }

    /** What the provider's manifest says of its tokens' lives. */
    public TokenLifetimes tokenLifetimes() {
        return provider.oauth() == null
                ? TokenLifetimes.AS_EACH_RESPONSE_SAYS
                : provider.oauth().tokenLifetimes();
    }

    @Override
    public String toString() {
        return "ProviderClient[" + applicationId + "/" + provider.name() + ", clientId=" + clientId + "]";
    }
}
