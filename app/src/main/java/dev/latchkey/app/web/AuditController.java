package dev.latchkey.app.web;

import dev.latchkey.app.audit.AuditEvent;
import dev.latchkey.app.audit.AuditLog;
import dev.latchkey.app.audit.AuditProperties;
import dev.latchkey.app.security.Caller;
import dev.latchkey.app.security.Scopes;
import dev.latchkey.domain.connection.ConnectionId;
import dev.latchkey.domain.connection.WorkspaceId;
import java.util.List;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * API.md's audit endpoints: a connection's history and a workspace's event stream, scope {@code audit:read}, held to
 * the caller's workspace ({@code wid}). Every connection of the workspace is visible here, whatever its visibility:
 * the audit log is the workspace's.
 */
@RestController
@PreAuthorize("hasAuthority('" + Scopes.AUDIT_READ + "')")
class AuditController {

    private final AuditLog log;
    private final AuditProperties properties;

    AuditController(AuditLog log, AuditProperties properties) {
        this.log = log;
        this.properties = properties;
    }

    record History(List<AuditEvent> events) {}

    record Stream(List<AuditEvent> events, long next) {}

    @GetMapping("/v1/connections/{id}/history")
    History history(@AuthenticationPrincipal Jwt jwt, @PathVariable String id) {
        WorkspaceId workspace = Caller.from(jwt).requireWorkspace();
        return new History(log.history(workspace, ConnectionId.of(id)).orElseThrow(NotFoundException::new));
    }

    @GetMapping("/v1/events")
    Stream events(
            @AuthenticationPrincipal Jwt jwt,
            @RequestParam(required = false) Long after,
            @RequestParam(required = false) Integer limit) {
        WorkspaceId workspace = Caller.from(jwt).requireWorkspace();
        long from = after == null ? 0 : after;
        int size = limit == null ? properties.defaultPageSize() : limit;
        if (from < 0) {
            throw RequestValidationException.of("after", "must be a position, 0 or more");
        }
        if (size < 1 || size > properties.maxPageSize()) {
            throw RequestValidationException.of("limit", "must be between 1 and " + properties.maxPageSize());
        }
        AuditLog.Page page = log.after(workspace, from, size);
        return new Stream(page.events(), page.next());
    }
}
