package dev.latchkey.query.connection;

import dev.latchkey.domain.connection.ConnectionId;
import dev.latchkey.domain.connection.WorkspaceId;
import java.util.Objects;

/** One connection, under the same rules as {@link ListConnections}. Answers {@code Optional<ConnectionRow>}: empty when it does not exist or {@code viewer} may not see it. */
public record GetConnection(WorkspaceId workspaceId, ConnectionId connectionId, Viewer viewer) {

    public GetConnection {
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(connectionId, "connectionId");
        Objects.requireNonNull(viewer, "viewer");
    }
}
