package dev.latchkey.app.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latchkey.app.application.ApplicationCommands;
import dev.latchkey.app.provider.ProviderClients;
import dev.latchkey.app.security.Caller;
import dev.latchkey.app.security.Scopes;
import dev.latchkey.domain.application.ApplicationId;
import dev.latchkey.domain.application.Manifest;
import dev.latchkey.query.application.ApplicationQueries;
import dev.latchkey.query.application.ApplicationView;
import dev.latchkey.query.application.GetApplication;
import dev.latchkey.query.application.ProviderView;
import java.util.Iterator;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /v1/applications}: server admins install manifests and fill in server variables. */
@RestController
@RequestMapping("/v1/applications")
@PreAuthorize("hasAuthority('" + Scopes.APPS_ADMIN + "')")
class ApplicationController {

    private static final int MAX_VALUE = 8192;

    private final ApplicationCommands commands;
    private final ApplicationQueries applications;
    private final ProviderClients clients;
    private final ObjectMapper json;

    ApplicationController(
            ApplicationCommands commands, ApplicationQueries applications, ProviderClients clients, ObjectMapper json) {
        this.commands = commands;
        this.applications = applications;
        this.clients = clients;
        this.json = json;
    }

    record VariableBody(String value) {}

    @PutMapping("/{applicationId}")
    JsonNode install(
            @AuthenticationPrincipal Jwt jwt,
            @PathVariable String applicationId,
            @RequestBody(required = false) Manifest manifest) {
        if (manifest == null) {
            throw RequestValidationException.of("", "a manifest is required");
        }
        ApplicationId id = ApplicationId.of(applicationId);
        commands.install(id, manifest, Caller.from(jwt).subject());
        return view(id);
    }

    @GetMapping("/{applicationId}")
    JsonNode get(@PathVariable String applicationId) {
        return view(ApplicationId.of(applicationId));
    }

    @PutMapping("/{applicationId}/server-variables/{name}")
    ResponseEntity<Void> setVariable(
            @AuthenticationPrincipal Jwt jwt,
            @PathVariable String applicationId,
            @PathVariable String name,
            @RequestBody(required = false) VariableBody body) {
        if (body == null || body.value() == null || body.value().isEmpty()) {
            throw RequestValidationException.of("value", "is required");
        }
        if (body.value().length() > MAX_VALUE) {
            throw RequestValidationException.of("value", "must be at most " + MAX_VALUE + " characters");
        }
        commands.setVariable(
                ApplicationId.of(applicationId),
                name,
                body.value(),
                Caller.from(jwt).subject());
        return ResponseEntity.noContent().build();
    }

    @DeleteMapping("/{applicationId}/server-variables/{name}")
    ResponseEntity<Void> unsetVariable(
            @AuthenticationPrincipal Jwt jwt, @PathVariable String applicationId, @PathVariable String name) {
        commands.unsetVariable(
                ApplicationId.of(applicationId), name, Caller.from(jwt).subject());
        return ResponseEntity.noContent().build();
    }

    @DeleteMapping("/{applicationId}")
    ResponseEntity<Void> uninstall(@AuthenticationPrincipal Jwt jwt, @PathVariable String applicationId) {
        commands.uninstall(ApplicationId.of(applicationId), Caller.from(jwt).subject());
        return ResponseEntity.accepted().build();
    }

    /** The manifest plus the callback URL, {@code isSet} per variable and each provider's status; no secret. */
    private JsonNode view(ApplicationId id) {
        ApplicationView view = applications
                .handle(new GetApplication(id))
                .map(row -> row.application())
                .filter(ApplicationView::installed)
                .orElseThrow(NotFoundException::new);
        ObjectNode answer = withoutNulls(json.valueToTree(view.manifest()));
        answer.put("callbackUrl", clients.callbackUrl().toString());
        answer.set("serverVariables", json.valueToTree(view.serverVariables()));
        ArrayNode providers = (ArrayNode) answer.withArray("connectionProviders");
        for (int i = 0; i < providers.size(); i++) {
            ObjectNode provider = (ObjectNode) providers.get(i);
            String name = provider.path("name").asText();
            view.connectionProviders().stream()
                    .filter(p -> p.name().value().equals(name))
                    .map(ProviderView::status)
                    .findFirst()
                    .ifPresent(status -> provider.put("status", status.wire()));
        }
        return answer;
    }

    private static ObjectNode withoutNulls(ObjectNode node) {
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getValue().isNull()) {
                fields.remove();
            } else if (field.getValue().isObject()) {
                withoutNulls((ObjectNode) field.getValue());
            } else if (field.getValue().isArray()) {
                field.getValue().forEach(item -> {
                    if (item.isObject()) {
                        withoutNulls((ObjectNode) item);
                    }
                });
            }
        }
        return node;
    }
}
