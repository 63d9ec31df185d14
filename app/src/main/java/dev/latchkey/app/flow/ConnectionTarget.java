package dev.latchkey.app.flow;

import dev.latchkey.domain.application.ApplicationId;
import dev.latchkey.domain.application.ProviderName;
import dev.latchkey.domain.connection.ConnectionId;
import dev.latchkey.domain.connection.WorkspaceId;
import dev.latchkey.query.connection.ConnectionRow;

/** The connection a flow works on: its id, the workspace its secrets are bound to, and what names its OAuth client. */
public record ConnectionTarget(
        ConnectionId connectionId, WorkspaceId workspaceId, ApplicationId applicationId, ProviderName providerName) {

    public static ConnectionTarget of(ConnectionRow row) {
        return new ConnectionTarget(
                row.connection().id(),
                row.connection().workspaceId(),
                row.connection().applicationId(),
                row.connection().providerName());
    }
}
