package dev.latchkey.domain.application;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An application's manifest as installed by a server admin: the seed's {@code defineApplication} with its
 * {@code defineConnectionProvider}s and the return URLs a browser may be sent back to.
 */
public record Manifest(
        String universalIdentifier,
        String displayName,
        String description,
        Map<String, ServerVariableDeclaration> serverVariables,
        List<String> allowedReturnUrls,
        List<ConnectionProviderDefinition> connectionProviders) {

    public Manifest {
        serverVariables = serverVariables == null ? Map.of() : Map.copyOf(serverVariables);
        allowedReturnUrls = allowedReturnUrls == null ? List.of() : List.copyOf(allowedReturnUrls);
        connectionProviders = connectionProviders == null ? List.of() : List.copyOf(connectionProviders);
    }

    public Optional<ConnectionProviderDefinition> provider(ProviderName name) {
        return connectionProviders.stream()
                .filter(p -> name.value().equals(p.name()))
                .findFirst();
    }

    /** A provider is ready when every required server variable it references has a value. */
    public ProviderStatus providerStatus(ConnectionProviderDefinition provider, java.util.Set<String> setVariables) {
        OAuthSettings oauth = provider.oauth();
        for (String variable : List.of(oauth.clientIdVariable(), oauth.clientSecretVariable())) {
            ServerVariableDeclaration declaration = serverVariables.get(variable);
            boolean required = declaration == null || declaration.isRequired();
            if (required && !setVariables.contains(variable)) {
                return ProviderStatus.NEEDS_SERVER_ADMIN;
            }
        }
        return ProviderStatus.READY;
    }

    public boolean allowsReturnUrl(String url) {
        return url != null && allowedReturnUrls.contains(url);
    }
}
