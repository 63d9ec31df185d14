package dev.latchkey.domain.connection;

import dev.latchkey.domain.application.ApplicationId;
import dev.latchkey.domain.application.ProviderName;
import org.axonframework.serialization.Revision;

/** A member asked to connect an account: the connection exists, pending its callback. */
@Revision("1")
public record AuthorizationStarted(
        ConnectionId connectionId,
        WorkspaceId workspaceId,
        ApplicationId applicationId,
        ProviderName providerName,
        UserWorkspaceId owner,
        Visibility visibility,
        String name,
        PendingAuthorization authorization)
        implements ConnectionEvent {}
