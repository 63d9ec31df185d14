package dev.latchkey.domain.application;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
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

    /** Null elements are kept (unmodifiable) so that {@link ManifestValidator} names them, instead of failing here. */
    public Manifest {
        serverVariables =
                serverVariables == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(serverVariables));
        allowedReturnUrls = allowedReturnUrls == null
                ? List.of()
                : Collections.unmodifiableList(new ArrayList<>(allowedReturnUrls));
        connectionProviders = connectionProviders == null
                ? List.of()
                : Collections.unmodifiableList(new ArrayList<>(connectionProviders));
    }

    public Optional<ConnectionProviderDefinition> provider(ProviderName name) {
        return connectionProviders.stream()
                .filter(p -> p != null && name.value().equals(p.name()))
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
