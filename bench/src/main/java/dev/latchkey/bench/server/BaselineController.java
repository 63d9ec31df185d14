package dev.latchkey.bench.server;

import dev.latchkey.app.security.Caller;
import dev.latchkey.app.security.Scopes;
import dev.latchkey.domain.connection.WorkspaceId;
import java.sql.Array;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Benchmark 1's baseline: the rows {@code GET /v1/connections} answers a logic function (its application's workspace
 * connections of one provider), selected with a plain {@link JdbcTemplate} and written as JSON as they come, behind
 * the same security filter chain, JWT decoder and scope check.
 */
@RestController
class BaselineController {

    private static final String COLUMNS = """
        connection_id, workspace_id, application_id, provider_name, name, handle, visibility,
        owner_user_workspace_id, scopes, status, auth_failed_at, auth_failed_reason, created_at, updated_at,
        access_token_key_id, access_token_ciphertext, access_token_expires_at, token_type\
        """;

    private final JdbcTemplate jdbc;

    BaselineController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @GetMapping("/v1/bench/connections")
    @PreAuthorize("hasAnyAuthority('" + Scopes.CONNECTIONS_READ + "', '" + Scopes.CONNECTIONS_CREDENTIALS + "')")
    Map<String, Object> list(@AuthenticationPrincipal Jwt jwt, @RequestParam String providerName) {
        Caller caller = Caller.from(jwt);
        WorkspaceId workspace = caller.requireWorkspace();
        List<Map<String, Object>> rows = jdbc.query(
                "SELECT " + COLUMNS + " FROM connection_view WHERE workspace_id = ? AND application_id = ?"
                        + " AND provider_name = ? AND visibility = 'workspace' ORDER BY created_at, connection_id",
                (rs, i) -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    int columns = rs.getMetaData().getColumnCount();
                    for (int c = 1; c <= columns; c++) {
                        Object value = rs.getObject(c);
                        row.put(
                                rs.getMetaData().getColumnLabel(c),
                                value instanceof Array array ? array.getArray() : value);
                    }
                    return row;
                },
                workspace.value(),
                caller.requireApplication().value(),
                providerName);
        return Map.of("items", rows);
    }
}
