package dev.latchkey.app.writemodel;

import dev.latchkey.domain.audit.AuditMetadata;
import dev.latchkey.domain.connection.WorkspaceId;
import java.util.HashMap;
import java.util.Map;
import org.axonframework.messaging.MetaData;

/** Who causes a command, for the audit trail: a caller's {@code sub}, or {@code system:<process>}. */
public record Actor(String subject, WorkspaceId workspace) {

    public static Actor system(String process, WorkspaceId workspace) {
        return new Actor("system:" + process, workspace);
    }

    public MetaData metaData() {
        Map<String, Object> values = new HashMap<>();
        values.put(AuditMetadata.ACTOR, subject);
        if (workspace != null) {
            values.put(AuditMetadata.WORKSPACE_ID, workspace.value());
        }
        return MetaData.from(values);
    }
}
