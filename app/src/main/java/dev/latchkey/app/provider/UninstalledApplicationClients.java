package dev.latchkey.app.provider;

import dev.latchkey.domain.application.ApplicationId;
import dev.latchkey.domain.application.ApplicationInstalled;
import dev.latchkey.domain.application.ConnectionProviderDefinition;
import dev.latchkey.domain.application.Manifest;
import dev.latchkey.domain.application.ManifestUpdated;
import dev.latchkey.domain.application.ProviderName;
import dev.latchkey.domain.application.ServerVariableSet;
import dev.latchkey.domain.application.ServerVariableUnset;
import dev.latchkey.domain.provider.ProviderClient;
import dev.latchkey.domain.secret.Sealed;
import dev.latchkey.domain.secret.SealingContext;
import dev.latchkey.domain.secret.SecretSealer;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.stereotype.Component;

/**
 * The OAuth client an application had just before it was uninstalled, for revoking its connections only. The views
 * forget an uninstalled application's server variables; the event store keeps them (sealed), so the client is
 * rebuilt from the application's own history up to the uninstall: on any node, after any restart.
 */
@Component
public class UninstalledApplicationClients {

    private final EventStore events;
    private final SecretSealer sealer;
    private final ProviderClients clients;

    public UninstalledApplicationClients(EventStore events, SecretSealer sealer, ProviderClients clients) {
        this.events = events;
        this.sealer = sealer;
        this.clients = clients;
    }

    /**
     * @param uninstallSequence the sequence number of the {@code ApplicationUninstalled} event
     * @return empty when the provider was not declared or its client id or secret was not set then
     */
    public Optional<ProviderClient> beforeUninstall(
            ApplicationId applicationId, long uninstallSequence, ProviderName providerName) {
        Manifest manifest = null;
        Map<String, Sealed> values = new HashMap<>();
        // from sequence 0: the stored events themselves, never a snapshot
        DomainEventStream stream = events.readEvents(applicationId.value(), 0);
        while (stream.hasNext()) {
            DomainEventMessage<?> message = stream.next();
            if (message.getSequenceNumber() >= uninstallSequence) {
                break;
            }
            Object event = message.getPayload();
            if (event instanceof ApplicationInstalled installed) {
                manifest = installed.manifest();
                values.clear();
            } else if (event instanceof ManifestUpdated updated) {
                manifest = updated.manifest();
                updated.droppedVariables().forEach(values::remove);
            } else if (event instanceof ServerVariableSet set) {
                values.put(set.name(), set.value());
            } else if (event instanceof ServerVariableUnset unset) {
                values.remove(unset.name());
            }
        }
        if (manifest == null) {
            return Optional.empty();
        }
        Optional<ConnectionProviderDefinition> provider = manifest.provider(providerName);
        if (provider.isEmpty() || provider.get().oauth() == null) {
            return Optional.empty();
        }
        String idVariable = provider.get().oauth().clientIdVariable();
        String secretVariable = provider.get().oauth().clientSecretVariable();
        Sealed clientId = values.get(idVariable);
        Sealed clientSecret = values.get(secretVariable);
        if (clientId == null || clientSecret == null) {
            return Optional.empty();
        }
        return Optional.of(new ProviderClient(
                applicationId,
                provider.get(),
                sealer.unseal(clientId, SealingContext.forServerVariable(applicationId, idVariable))
                        .reveal(),
                sealer.unseal(clientSecret, SealingContext.forServerVariable(applicationId, secretVariable)),
                clients.callbackUrl()));
    }
}
