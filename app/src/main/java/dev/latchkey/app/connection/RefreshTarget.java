package dev.latchkey.app.connection;

import dev.latchkey.domain.application.ApplicationId;
import dev.latchkey.domain.application.ProviderName;
import dev.latchkey.domain.connection.ConnectionId;
import dev.latchkey.domain.connection.WorkspaceId;

/** The connection to refresh and what identifies its OAuth client. */
public record RefreshTarget(
        ConnectionId connectionId, WorkspaceId workspaceId, ApplicationId applicationId, ProviderName providerName) {}
