package dev.latchkey.domain.connection;

import dev.latchkey.domain.application.ApplicationId;
import dev.latchkey.domain.application.ProviderName;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Create a connection pending its callback. The caller has checked that the provider is ready and generated the
 * state, the binding value and the PKCE verifier; only their digests and the sealed verifier arrive here.
 */
public record StartAuthorization(
        @TargetAggregateIdentifier ConnectionId connectionId,
        WorkspaceId workspaceId,
        ApplicationId applicationId,
        ProviderName providerName,
        UserWorkspaceId owner,
        Visibility visibility,
        String name,
        PendingAuthorization authorization) {}
