package dev.latchkey.app.web;

import static dev.latchkey.app.problem.ProblemResponses.problem;

import dev.latchkey.app.connection.ConnectionAnswer;
import dev.latchkey.app.connection.ConnectionCommands;
import dev.latchkey.app.connection.ConnectionReads;
import dev.latchkey.app.connection.StartedAuthorization;
import dev.latchkey.app.flow.ConnectionTarget;
import dev.latchkey.app.flow.RefreshOutcome;
import dev.latchkey.app.flow.TokenRefresher;
import dev.latchkey.app.security.Caller;
import dev.latchkey.app.security.Scopes;
import dev.latchkey.app.writemodel.Actor;
import dev.latchkey.domain.application.ApplicationId;
import dev.latchkey.domain.application.ProviderName;
import dev.latchkey.domain.connection.Connection;
import dev.latchkey.domain.connection.ConnectionId;
import dev.latchkey.domain.connection.Visibility;
import dev.latchkey.domain.connection.WorkspaceId;
import dev.latchkey.domain.provider.RevocationResult;
import dev.latchkey.domain.secret.Secret;
import dev.latchkey.query.connection.ConnectionRow;
import dev.latchkey.query.connection.GetConnection;
import dev.latchkey.query.connection.ListConnections;
import dev.latchkey.query.connection.Viewer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /v1/connections}: API.md's connection endpoints. */
@RestController
@RequestMapping("/v1/connections")
class ConnectionController {

    private static final String WRITE = "hasAuthority('" + Scopes.CONNECTIONS_WRITE + "')";
    private static final String READ =
            "hasAnyAuthority('" + Scopes.CONNECTIONS_READ + "', '" + Scopes.CONNECTIONS_CREDENTIALS + "')";
    private static final String WRITE_OR_CREDENTIALS =
            "hasAnyAuthority('" + Scopes.CONNECTIONS_WRITE + "', '" + Scopes.CONNECTIONS_CREDENTIALS + "')";
    private static final String CREDENTIALS = "hasAuthority('" + Scopes.CONNECTIONS_CREDENTIALS + "')";

    /** The longest {@code failedAccessToken} taken: longer than any access token Latchkey holds. */
    private static final int MAX_ACCESS_TOKEN = 8192;

    private final ConnectionCommands commands;
    private final ConnectionReads reads;
    private final TokenRefresher refresher;
    private final IdempotentRequests idempotency;
    private final Clock clock;

    ConnectionController(
            ConnectionCommands commands,
            ConnectionReads reads,
            TokenRefresher refresher,
            IdempotentRequests idempotency,
            Clock clock) {
        this.commands = commands;
        this.reads = reads;
        this.refresher = refresher;
        this.idempotency = idempotency;
        this.clock = clock;
    }

    record StartBody(String applicationId, String providerName, String visibility, String name, String returnUrl) {}

    record StartedJson(String connectionId, String authorizeUrl, Instant expiresAt) {
        static StartedJson of(StartedAuthorization started) {
            return new StartedJson(
                    started.connectionId().value(), started.authorizeUrl().toString(), started.expiresAt());
        }
    }

    record ReconnectBody(String returnUrl) {}

    record UpdateBody(String name, String visibility) {}

    record AuthFailureBody(String reason, Instant accessTokenExpiresAt) {}

    /** Its {@code toString} hides the token: Spring MVC logs the bodies it reads at DEBUG. */
    record RefreshBody(String failedAccessToken) {
        @Override
        public String toString() {
            return "RefreshBody[failedAccessToken=" + (failedAccessToken == null ? "null" : "***") + "]";
        }
    }

    record RevokedJson(Map<String, String> revoked) {}

    @PostMapping
    @PreAuthorize(WRITE)
    ResponseEntity<StartedJson> start(
            @AuthenticationPrincipal Jwt jwt,
            @RequestBody(required = false) StartBody body,
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) {
        Caller caller = Caller.from(jwt);
        WorkspaceId workspace = caller.requireWorkspace();
        var owner = caller.requireUserWorkspace();
        ConnectionCommands.StartRequest request = validate(body);
        Actor actor = new Actor(caller.subject(), workspace);
        StartedJson started = idempotency.run(
                workspace,
                caller.subject(),
                idempotencyKey,
                body,
                StartedJson.class,
                () -> StartedJson.of(commands.start(request, owner, workspace, actor)));
        return ResponseEntity.status(HttpStatus.CREATED).body(started);
    }

    @PostMapping("/{id}/reconnect")
    @PreAuthorize(WRITE)
    StartedJson reconnect(
            @AuthenticationPrincipal Jwt jwt,
            @PathVariable String id,
            @RequestBody(required = false) ReconnectBody body) {
        Caller caller = Caller.from(jwt);
        WorkspaceId workspace = caller.requireWorkspace();
        var person = caller.requireUserWorkspace();
        return StartedJson.of(commands.reconnect(
                ConnectionId.of(id),
                body == null ? null : body.returnUrl(),
                Viewer.member(person),
                workspace,
                person,
                new Actor(caller.subject(), workspace)));
    }

    @PatchMapping("/{id}")
    @PreAuthorize(WRITE)
    ConnectionJson update(
            @AuthenticationPrincipal Jwt jwt, @PathVariable String id, @RequestBody(required = false) UpdateBody body) {
        Caller caller = Caller.from(jwt);
        WorkspaceId workspace = caller.requireWorkspace();
        var person = caller.requireUserWorkspace();
        if (body == null || (body.name() == null && body.visibility() == null)) {
            throw RequestValidationException.of("", "give name, visibility or both");
        }
        Visibility visibility = body.visibility() == null ? null : visibility("visibility", body.visibility());
        ConnectionId connection = ConnectionId.of(id);
        Actor actor = new Actor(caller.subject(), workspace);
        commands.update(connection, body.name(), visibility, Viewer.member(person), workspace, person, actor);
        return ConnectionJson.of(
                reads.get(new GetConnection(workspace, connection, Viewer.member(person)), false, actor)
                        .orElseThrow(NotFoundException::new),
                clock.instant());
    }

    @PostMapping("/{id}/refresh")
    @PreAuthorize(WRITE_OR_CREDENTIALS)
    ResponseEntity<ConnectionJson> refresh(
            @AuthenticationPrincipal Jwt jwt,
            @PathVariable String id,
            @RequestBody(required = false) RefreshBody body) {
        Caller caller = Caller.from(jwt);
        WorkspaceId workspace = caller.requireWorkspace();
        Viewer viewer = caller.viewer();
        ConnectionId connection = ConnectionId.of(id);
        Actor actor = new Actor(caller.subject(), workspace);
        String failedToken = body == null ? null : body.failedAccessToken();
        if (failedToken != null && (failedToken.isEmpty() || failedToken.length() > MAX_ACCESS_TOKEN)) {
            throw RequestValidationException.of(
                    "failedAccessToken", "must be 1 to " + MAX_ACCESS_TOKEN + " characters");
        }
        ConnectionRow row = reads.visibleRow(workspace, connection, viewer);
        RefreshOutcome outcome = failedToken == null
                ? refresher.refresh(ConnectionTarget.of(row), true, actor)
                : refresher.refreshFailedToken(row, Secret.of(failedToken), actor);
        if (outcome instanceof RefreshOutcome.AuthFailed failed) {
            throw new ApiProblemException(problem(
                    HttpStatus.CONFLICT, "auth-failed", "the provider refused the grant; the person must reconnect"));
        }
        if (outcome instanceof RefreshOutcome.Unavailable unavailable) {
            HttpHeaders headers = new HttpHeaders();
            long seconds = unavailable.retryAfter() == null
                    ? 30
                    : Math.max(
                            1,
                            Duration.between(clock.instant(), unavailable.retryAfter())
                                    .toSeconds());
            headers.set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
            throw new ApiProblemException(
                    problem(
                            HttpStatus.SERVICE_UNAVAILABLE,
                            "provider-unavailable",
                            "the provider could not refresh the token now (" + unavailable.reason() + ")"),
                    headers);
        }
        if (outcome instanceof RefreshOutcome.NotRefreshable not) {
            throw new ApiProblemException(problem(HttpStatus.CONFLICT, "not-refreshable", not.why()));
        }
        if (outcome instanceof RefreshOutcome.Throttled throttled) {
            HttpHeaders headers = new HttpHeaders();
            long millis = Duration.between(clock.instant(), throttled.retryAt()).toMillis();
            headers.set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, (millis + 999) / 1000)));
            throw new ApiProblemException(
                    problem(
                            HttpStatus.TOO_MANY_REQUESTS,
                            "refresh-throttled",
                            "this connection was refreshed less than "
                                    + Connection.FORCED_REFRESH_SPACING.toSeconds()
                                    + " s ago; try again after Retry-After"),
                    headers);
        }
        ConnectionAnswer answer = reads.get(
                        new GetConnection(workspace, connection, viewer), caller.isCredentialsCaller(), actor)
                .orElseThrow(NotFoundException::new);
        return ResponseEntity.ok(ConnectionJson.of(answer, clock.instant()));
    }

    @DeleteMapping("/{id}")
    @PreAuthorize(WRITE)
    RevokedJson disconnect(@AuthenticationPrincipal Jwt jwt, @PathVariable String id) {
        Caller caller = Caller.from(jwt);
        WorkspaceId workspace = caller.requireWorkspace();
        var person = caller.requireUserWorkspace();
        RevocationResult result = commands.disconnect(
                ConnectionId.of(id), Viewer.member(person), workspace, person, new Actor(caller.subject(), workspace));
        return new RevokedJson(Map.of(
                "refreshToken", result.refreshToken().wire(),
                "accessToken", result.accessToken().wire()));
    }

    record ListJson(List<ConnectionJson> items) {}

    @GetMapping
    @PreAuthorize(READ)
    ListJson list(
            @AuthenticationPrincipal Jwt jwt,
            @RequestParam(required = false) String applicationId,
            @RequestParam(required = false) String providerName,
            @RequestParam(required = false) String visibility) {
        Caller caller = Caller.from(jwt);
        WorkspaceId workspace = caller.requireWorkspace();
        if (providerName != null && !ProviderName.PATTERN.matcher(providerName).matches()) {
            return new ListJson(List.of()); // no provider can have that name
        }
        ListConnections query = new ListConnections(
                workspace,
                applicationId == null || applicationId.isBlank() ? null : ApplicationId.of(applicationId),
                providerName == null ? null : ProviderName.of(providerName),
                visibility == null ? null : visibility("visibility", visibility),
                caller.viewer());
        List<ConnectionAnswer> answers =
                reads.list(query, caller.isCredentialsCaller(), new Actor(caller.subject(), workspace));
        return new ListJson(answers.stream()
                .map(answer -> ConnectionJson.of(answer, clock.instant()))
                .toList());
    }

    /**
     * API.md's {@code preferred}: the request user's own active connection, else the workspace's. Credential callers
     * are held to their {@code app} claim; read callers name the application.
     */
    @GetMapping("/preferred")
    @PreAuthorize(READ)
    ConnectionJson preferred(
            @AuthenticationPrincipal Jwt jwt,
            @RequestParam(required = false) String providerName,
            @RequestParam(required = false) String applicationId) {
        Caller caller = Caller.from(jwt);
        WorkspaceId workspace = caller.requireWorkspace();
        if (providerName == null || providerName.isBlank()) {
            throw RequestValidationException.of("providerName", "is required");
        }
        ApplicationId application;
        if (caller.isCredentialsCaller()) {
            application = caller.requireApplication();
        } else if (applicationId == null || applicationId.isBlank()) {
            throw RequestValidationException.of("applicationId", "is required unless the token names its app");
        } else {
            application = ApplicationId.of(applicationId);
        }
        String notConnected = "No active connection to " + providerName
                + " for this app: open the app's settings and click Add connection.";
        if (!ProviderName.PATTERN.matcher(providerName).matches()) {
            throw new ApiProblemException(problem(HttpStatus.NOT_FOUND, "not-connected", notConnected));
        }
        ListConnections query =
                new ListConnections(workspace, application, ProviderName.of(providerName), null, caller.viewer());
        return reads.preferred(
                        query,
                        caller.userWorkspace().orElse(null),
                        caller.isCredentialsCaller(),
                        new Actor(caller.subject(), workspace))
                .map(answer -> ConnectionJson.of(answer, clock.instant()))
                .orElseThrow(
                        () -> new ApiProblemException(problem(HttpStatus.NOT_FOUND, "not-connected", notConnected)));
    }

    @GetMapping("/{id}")
    @PreAuthorize(READ)
    ConnectionJson get(@AuthenticationPrincipal Jwt jwt, @PathVariable String id) {
        Caller caller = Caller.from(jwt);
        WorkspaceId workspace = caller.requireWorkspace();
        return reads.get(
                        new GetConnection(workspace, ConnectionId.of(id), caller.viewer()),
                        caller.isCredentialsCaller(),
                        new Actor(caller.subject(), workspace))
                .map(answer -> ConnectionJson.of(answer, clock.instant()))
                .orElseThrow(NotFoundException::new);
    }

    @PostMapping("/{id}/auth-failure")
    @PreAuthorize(CREDENTIALS)
    ResponseEntity<Void> reportAuthFailure(
            @AuthenticationPrincipal Jwt jwt,
            @PathVariable String id,
            @RequestBody(required = false) AuthFailureBody body) {
        Caller caller = Caller.from(jwt);
        WorkspaceId workspace = caller.requireWorkspace();
        String reason = body == null ? null : body.reason();
        if (reason != null && reason.length() > Connection.MAX_REASON) {
            throw RequestValidationException.of("reason", "must be at most " + Connection.MAX_REASON + " characters");
        }
        commands.reportAuthFailure(
                ConnectionId.of(id),
                reason,
                body == null ? null : body.accessTokenExpiresAt(),
                caller.viewer(),
                workspace,
                new Actor(caller.subject(), workspace));
        return ResponseEntity.noContent().build();
    }

    private static ConnectionCommands.StartRequest validate(StartBody body) {
        if (body == null) {
            throw RequestValidationException.of("", "a JSON body is required");
        }
        List<Map<String, String>> errors = new ArrayList<>();
        ApplicationId application = null;
        if (body.applicationId() == null || body.applicationId().isBlank()) {
            errors.add(Map.of("field", "applicationId", "message", "is required"));
        } else {
            application = ApplicationId.of(body.applicationId());
        }
        ProviderName provider = null;
        if (body.providerName() == null
                || !ProviderName.PATTERN.matcher(body.providerName()).matches()) {
            errors.add(Map.of("field", "providerName", "message", "must match " + ProviderName.PATTERN.pattern()));
        } else {
            provider = ProviderName.of(body.providerName());
        }
        Visibility visibility = null;
        try {
            visibility = Visibility.fromWire(body.visibility());
        } catch (IllegalArgumentException e) {
            errors.add(Map.of("field", "visibility", "message", "must be user or workspace"));
        }
        if (body.name() != null && (body.name().isBlank() || body.name().length() > Connection.MAX_NAME)) {
            errors.add(Map.of("field", "name", "message", "must be 1 to " + Connection.MAX_NAME + " characters"));
        }
        if (!errors.isEmpty()) {
            throw new RequestValidationException(errors);
        }
        return new ConnectionCommands.StartRequest(application, provider, visibility, body.name(), body.returnUrl());
    }

    private static Visibility visibility(String field, String value) {
        try {
            return Visibility.fromWire(value);
        } catch (IllegalArgumentException e) {
            throw RequestValidationException.of(field, "must be user or workspace");
        }
    }
}
