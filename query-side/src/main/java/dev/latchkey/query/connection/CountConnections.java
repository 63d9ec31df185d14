package dev.latchkey.query.connection;

import dev.latchkey.domain.application.ApplicationId;
import dev.latchkey.domain.application.ProviderName;
import dev.latchkey.domain.connection.WorkspaceId;
import java.util.Objects;

/**
 * How many connections (of any visibility and owner, revoked ones excepted) a workspace holds for one provider of
 * one application: the {@code N} of the default name {@code <displayName> #N}. Answers {@code Long}.
 */
public record CountConnections(WorkspaceId workspaceId, ApplicationId applicationId, ProviderName providerName) {

    public CountConnections {
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(providerName, "providerName");
    }
}
