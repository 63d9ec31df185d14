package dev.latchkey.app.provider;

import dev.latchkey.app.config.LatchkeyProperties;
import dev.latchkey.domain.application.ApplicationId;
import dev.latchkey.domain.application.ConnectionProviderDefinition;
import dev.latchkey.domain.application.ProviderName;
import dev.latchkey.domain.application.ProviderStatus;
import dev.latchkey.domain.provider.ProviderClient;
import dev.latchkey.domain.secret.Sealed;
import dev.latchkey.domain.secret.SealingContext;
import dev.latchkey.domain.secret.SecretSealer;
import dev.latchkey.query.application.ApplicationQueries;
import dev.latchkey.query.application.ApplicationRow;
import dev.latchkey.query.application.GetApplication;
import java.net.URI;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** Builds the {@link ProviderClient} of an application's provider from its manifest and server variables. */
@Component
public class ProviderClients {

    public static final String CALLBACK_PATH = "/apps/oauth/callback";

    private final ApplicationQueries applications;
    private final SecretSealer sealer;
    private final URI callbackUrl;

    public ProviderClients(ApplicationQueries applications, SecretSealer sealer, LatchkeyProperties properties) {
        this.applications = applications;
        this.sealer = sealer;
        this.callbackUrl = callbackUrl(properties.publicUrl());
    }

    public static URI callbackUrl(URI publicUrl) {
        String base = publicUrl.toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + CALLBACK_PATH);
    }

    public URI callbackUrl() {
        return callbackUrl;
    }

    /** The installed application, if any. */
    public Optional<ApplicationRow> installedApplication(ApplicationId id) {
        return applications
                .handle(new GetApplication(id))
                .filter(row -> row.application().installed());
    }

    /**
     * @throws ProviderNotReadyException when the application or provider is gone, or a required variable is unset
     */
    public ProviderClient forProvider(ApplicationId applicationId, ProviderName providerName) {
        ApplicationRow row = installedApplication(applicationId)
                .orElseThrow(() -> new ProviderNotReadyException("the application is not installed"));
        ConnectionProviderDefinition provider = row.application()
                .manifest()
                .provider(providerName)
                .orElseThrow(() -> new ProviderNotReadyException("the application has no provider " + providerName));
        return forProvider(row, provider);
    }

    private static ProviderNotReadyException notSet(String variable) {
        return new ProviderNotReadyException("the server variable " + variable + " is not set");
    }

    public ProviderClient forProvider(ApplicationRow row, ConnectionProviderDefinition provider) {
        if (row.application().providerStatus(provider.providerName()).orElse(ProviderStatus.NEEDS_SERVER_ADMIN)
                != ProviderStatus.READY) {
            throw new ProviderNotReadyException(
                    "the server admin has not set the OAuth client id and secret of " + provider.name() + " yet");
        }
        ApplicationId id = row.application().applicationId();
        String clientIdVariable = provider.oauth().clientIdVariable();
        String secretVariable = provider.oauth().clientSecretVariable();
        Sealed clientId = row.values().value(clientIdVariable).orElseThrow(() -> notSet(clientIdVariable));
        Sealed clientSecret = row.values().value(secretVariable).orElseThrow(() -> notSet(secretVariable));
        return new ProviderClient(
                id,
                provider,
                sealer.unseal(clientId, SealingContext.forServerVariable(id, clientIdVariable))
                        .reveal(),
                sealer.unseal(clientSecret, SealingContext.forServerVariable(id, secretVariable)),
                callbackUrl);
    }
}
