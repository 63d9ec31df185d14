package dev.latchkey.app.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latchkey.app.config.LatchkeyProperties;
import dev.latchkey.app.security.Scopes;
import dev.latchkey.app.webhook.WebhookDeliveries;
import dev.latchkey.app.webhook.WebhookEndpoints;
import dev.latchkey.app.webhook.WebhookEventType;
import dev.latchkey.domain.application.ApplicationId;
import dev.latchkey.domain.application.EndpointPolicy;
import dev.latchkey.query.application.ApplicationQueries;
import dev.latchkey.query.application.ApplicationView;
import dev.latchkey.query.application.GetApplication;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /v1/applications/{id}/webhook-endpoints}: a server admin's endpoints for an application's lifecycle events. */
@RestController
@RequestMapping("/v1/applications/{applicationId}/webhook-endpoints")
@PreAuthorize("hasAuthority('" + Scopes.APPS_ADMIN + "')")
class WebhookEndpointController {

    static final int MAX_URL = 2048;
    static final int MAX_DESCRIPTION = 1000;
    static final int MAX_LIMIT = 1000;
    private static final Set<String> CREATE_FIELDS = Set.of("url", "eventTypes", "description");
    private static final Set<String> CHANGE_FIELDS = Set.of("url", "eventTypes", "description", "enabled");

    private final WebhookEndpoints endpoints;
    private final WebhookDeliveries deliveries;
    private final ApplicationQueries applications;
    private final EndpointPolicy policy;
    private final ObjectMapper json;

    WebhookEndpointController(
            WebhookEndpoints endpoints,
            WebhookDeliveries deliveries,
            ApplicationQueries applications,
            LatchkeyProperties properties,
            ObjectMapper json) {
        this.endpoints = endpoints;
        this.deliveries = deliveries;
        this.applications = applications;
        this.policy = new EndpointPolicy(properties.allowInsecureLoopback());
        this.json = json;
    }

    @PostMapping
    ResponseEntity<JsonNode> create(@PathVariable String applicationId, @RequestBody(required = false) JsonNode body) {
        ApplicationId application = installed(applicationId);
        List<Map<String, String>> errors = new ArrayList<>();
        ObjectNode fields = object(body, CREATE_FIELDS, errors);
        String url = url(fields, true, errors);
        List<String> types = eventTypes(fields, errors);
        String description = description(fields, errors);
        if (!errors.isEmpty()) {
            throw new RequestValidationException(errors);
        }
        WebhookEndpoints.Created created = endpoints.create(application, url, types, description);
        ObjectNode answer = view(created.endpoint());
        answer.put("secret", created.secret().reveal()); // the one answer that hands it out
        return ResponseEntity.status(HttpStatus.CREATED).body(answer);
    }

    @GetMapping
    JsonNode list(@PathVariable String applicationId) {
        ApplicationId application = installed(applicationId);
        ObjectNode answer = json.createObjectNode();
        endpoints
                .list(application)
                .forEach(endpoint -> answer.withArray("items").add(view(endpoint)));
        answer.withArray("items");
        return answer;
    }

    @GetMapping("/{endpointId}")
    JsonNode get(@PathVariable String applicationId, @PathVariable String endpointId) {
        return view(endpoint(applicationId, endpointId));
    }

    @PatchMapping("/{endpointId}")
    JsonNode change(
            @PathVariable String applicationId,
            @PathVariable String endpointId,
            @RequestBody(required = false) JsonNode body) {
        ApplicationId application = installed(applicationId);
        List<Map<String, String>> errors = new ArrayList<>();
        ObjectNode fields = object(body, CHANGE_FIELDS, errors);
        String url = url(fields, false, errors);
        List<String> types = eventTypes(fields, errors);
        String description = description(fields, errors);
        Boolean enabled = null;
        if (fields.has("enabled")) {
            if (fields.get("enabled").isBoolean()) {
                enabled = fields.get("enabled").booleanValue();
            } else {
                errors.add(Map.of("field", "enabled", "message", "must be true or false"));
            }
        }
        if (!errors.isEmpty()) {
            throw new RequestValidationException(errors);
        }
        return view(endpoints
                .change(
                        application,
                        endpointId,
                        new WebhookEndpoints.Change(
                                url, fields.has("eventTypes"), types, fields.has("description"), description, enabled))
                .orElseThrow(NotFoundException::new));
    }

    @DeleteMapping("/{endpointId}")
    ResponseEntity<Void> delete(@PathVariable String applicationId, @PathVariable String endpointId) {
        if (!endpoints.delete(installed(applicationId), endpointId)) {
            throw new NotFoundException();
        }
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/{endpointId}/rotate-secret")
    JsonNode rotate(@PathVariable String applicationId, @PathVariable String endpointId) {
        String secret = endpoints
                .rotate(installed(applicationId), endpointId)
                .orElseThrow(NotFoundException::new)
                .reveal();
        ObjectNode answer = json.createObjectNode();
        answer.put("secret", secret); // the one answer that hands the new one out
        return answer;
    }

    @GetMapping("/{endpointId}/deliveries")
    JsonNode deliveries(
            @PathVariable String applicationId,
            @PathVariable String endpointId,
            @RequestParam(required = false) String status,
            @RequestParam(required = false) String limit) {
        endpoint(applicationId, endpointId);
        List<Map<String, String>> errors = new ArrayList<>();
        if (status != null && !WebhookDeliveries.STATUSES.contains(status)) {
            errors.add(Map.of("field", "status", "message", "must be one of " + WebhookDeliveries.STATUSES));
        }
        int size = 100;
        if (limit != null) {
            try {
                size = Integer.parseInt(limit);
            } catch (NumberFormatException e) {
                size = -1;
            }
            if (size < 1 || size > MAX_LIMIT) {
                errors.add(Map.of("field", "limit", "message", "must be a number from 1 to " + MAX_LIMIT));
            }
        }
        if (!errors.isEmpty()) {
            throw new RequestValidationException(errors);
        }
        ObjectNode answer = json.createObjectNode();
        answer.set("items", json.valueToTree(deliveries.list(endpointId, status, size)));
        return answer;
    }

    @PostMapping("/{endpointId}/deliveries/{deliveryId}/redeliver")
    ResponseEntity<Void> redeliver(
            @PathVariable String applicationId, @PathVariable String endpointId, @PathVariable String deliveryId) {
        endpoint(applicationId, endpointId);
        if (!deliveries.redeliver(endpointId, deliveryId)) {
            throw new NotFoundException();
        }
        return ResponseEntity.accepted().build();
    }

    private ApplicationId installed(String applicationId) {
        ApplicationId id = ApplicationId.of(applicationId);
        applications
                .handle(new GetApplication(id))
                .map(row -> row.application())
                .filter(ApplicationView::installed)
                .orElseThrow(NotFoundException::new);
        return id;
    }

    private WebhookEndpoints.Endpoint endpoint(String applicationId, String endpointId) {
        return endpoints.find(installed(applicationId), endpointId).orElseThrow(NotFoundException::new);
    }

    private ObjectNode view(WebhookEndpoints.Endpoint endpoint) {
        ObjectNode view = json.createObjectNode();
        view.put("id", endpoint.id());
        view.put("applicationId", endpoint.applicationId().value());
        view.put("url", endpoint.url());
        view.set("eventTypes", json.valueToTree(endpoint.eventTypes()));
        view.put("description", endpoint.description());
        view.put("enabled", endpoint.enabled());
        view.put("disabledReason", endpoint.disabledReason());
        view.set("previousSecretSignsUntil", json.valueToTree(endpoint.previousSecretUntil()));
        view.set("createdAt", json.valueToTree(endpoint.createdAt()));
        view.set("updatedAt", json.valueToTree(endpoint.updatedAt()));
        return view;
    }

    private static ObjectNode object(JsonNode body, Set<String> known, List<Map<String, String>> errors) {
        if (body == null || !body.isObject()) {
            throw RequestValidationException.of("", "a JSON object is required");
        }
        Iterator<String> names = body.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                errors.add(Map.of("field", name, "message", "is not a field of this request"));
            }
        }
        return (ObjectNode) body;
    }

    private String url(ObjectNode fields, boolean required, List<Map<String, String>> errors) {
        JsonNode url = fields.get("url");
        if (url == null || url.isNull()) {
            if (required || url != null) {
                errors.add(Map.of("field", "url", "message", "is required"));
            }
            return null;
        }
        if (!url.isTextual()) {
            errors.add(Map.of("field", "url", "message", "must be a string"));
            return null;
        }
        if (url.textValue().length() > MAX_URL) {
            errors.add(Map.of("field", "url", "message", "must be at most " + MAX_URL + " characters"));
            return null;
        }
        String wrong = policy.check(url.textValue());
        if (wrong != null) {
            errors.add(Map.of("field", "url", "message", wrong));
        }
        return url.textValue();
    }

    /** Null (omitted or null): every type, now and later. */
    private static List<String> eventTypes(ObjectNode fields, List<Map<String, String>> errors) {
        JsonNode types = fields.get("eventTypes");
        if (types == null || types.isNull()) {
            return null;
        }
        if (!types.isArray() || types.isEmpty()) {
            errors.add(Map.of(
                    "field", "eventTypes", "message", "must be a non-empty array of event types, or null for all"));
            return null;
        }
        Set<String> named = new LinkedHashSet<>();
        for (int i = 0; i < types.size(); i++) {
            JsonNode type = types.get(i);
            if (!type.isTextual() || WebhookEventType.fromWire(type.textValue()).isEmpty()) {
                errors.add(Map.of("field", "eventTypes[" + i + "]", "message", "is not an event type"));
            } else {
                named.add(type.textValue());
            }
        }
        return List.copyOf(named);
    }

    private static String description(ObjectNode fields, List<Map<String, String>> errors) {
        JsonNode description = fields.get("description");
        if (description == null || description.isNull()) {
            return null;
        }
        if (!description.isTextual()) {
            errors.add(Map.of("field", "description", "message", "must be a string"));
            return null;
        }
        if (description.textValue().length() > MAX_DESCRIPTION) {
            errors.add(Map.of("field", "description", "message", "must be at most " + MAX_DESCRIPTION + " characters"));
        }
        return description.textValue();
    }
}
