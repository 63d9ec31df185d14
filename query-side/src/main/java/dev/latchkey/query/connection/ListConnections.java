package dev.latchkey.query.connection;

import dev.latchkey.domain.application.ApplicationId;
import dev.latchkey.domain.application.ProviderName;
import dev.latchkey.domain.connection.Visibility;
import dev.latchkey.domain.connection.WorkspaceId;
import java.util.Objects;

/**
 * The connections of a workspace that {@code viewer} may see, ordered by creation (then id). Answers
 * {@link ConnectionList}.
 *
 * @param applicationId null for every application (a logic function is always held to its own)
 * @param providerName null for every provider
 * @param visibility null for both
 */
public record ListConnections(
        WorkspaceId workspaceId,
        ApplicationId applicationId,
        ProviderName providerName,
        Visibility visibility,
        Viewer viewer) {

    public ListConnections {
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(viewer, "viewer");
    }
}
