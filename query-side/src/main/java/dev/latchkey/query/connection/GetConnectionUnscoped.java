package dev.latchkey.query.connection;

import dev.latchkey.domain.connection.ConnectionId;
import java.util.Objects;

/**
 * One connection whoever may see it, for Latchkey's own processes (the browser callback, the refresh scheduler,
 * an uninstall): never to answer a caller's request. Answers {@code Optional<ConnectionRow>}.
 */
public record GetConnectionUnscoped(ConnectionId connectionId) {

    public GetConnectionUnscoped {
        Objects.requireNonNull(connectionId, "connectionId");
    }
}
