package dev.latchkey.app.audit;

import dev.latchkey.domain.connection.AuthorizationStarted;
import dev.latchkey.domain.connection.ConnectionId;
import dev.latchkey.domain.connection.WorkspaceId;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Which workspace each connection belongs to ({@code connection_workspace}), the scope of every audit read. Taken
 * from the connection's first event rather than from event metadata, which carries the workspace only when the
 * command that caused it did. Its group runs SUBSCRIBING (see {@link AuditConfiguration}): the row is written in the
 * transaction that appends {@link AuthorizationStarted}, so no event of the connection is ever visible without it.
 */
@Component
@ProcessingGroup(ConnectionWorkspaces.PROCESSING_GROUP)
public class ConnectionWorkspaces {

    public static final String PROCESSING_GROUP = "audit-connection-workspace";

    private final JdbcTemplate jdbc;

    public ConnectionWorkspaces(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(AuthorizationStarted event) {
        jdbc.update(
                "insert into connection_workspace (connection_id, workspace_id) values (?, ?) on conflict do nothing",
                event.connectionId().value(),
                event.workspaceId().value());
    }

    public boolean belongsTo(ConnectionId connection, WorkspaceId workspace) {
        return !jdbc.queryForList(
                        "select 1 from connection_workspace where connection_id = ? and workspace_id = ?",
                        Integer.class,
                        connection.value(),
                        workspace.value())
                .isEmpty();
    }
}
