package dev.latchkey.query.connection;

import dev.latchkey.domain.application.ApplicationId;
import java.util.Objects;

/**
 * Every connection of one application in every workspace, for Latchkey's own processes (uninstalling revokes them
 * all): never to answer a caller's request. Answers {@link ConnectionList}.
 */
public record ListConnectionsOfApplication(ApplicationId applicationId) {

    public ListConnectionsOfApplication {
        Objects.requireNonNull(applicationId, "applicationId");
    }
}
