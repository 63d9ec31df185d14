package dev.latchkey.query.application;

import dev.latchkey.domain.application.ApplicationId;
import dev.latchkey.domain.application.Manifest;
import dev.latchkey.domain.application.ProviderName;
import dev.latchkey.domain.application.ProviderStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An application as API.md's {@code GET /v1/applications/{id}} shows it, without secrets.
 *
 * @param installed false once uninstalled (an uninstalled application has no variable set)
 * @param serverVariables every declared variable, with {@code isSet}
 * @param connectionProviders every provider of the manifest, in its order, with its status
 */
public record ApplicationView(
        ApplicationId applicationId,
        String displayName,
        Manifest manifest,
        boolean installed,
        Map<String, ServerVariableView> serverVariables,
        List<ProviderView> connectionProviders,
        Instant installedAt,
        Instant updatedAt) {

    public ApplicationView {
        serverVariables = Map.copyOf(serverVariables);
        connectionProviders = List.copyOf(connectionProviders);
    }

    public Optional<ProviderStatus> providerStatus(ProviderName name) {
        return connectionProviders.stream()
                .filter(provider -> provider.name().equals(name))
                .map(ProviderView::status)
                .findFirst();
    }
}
