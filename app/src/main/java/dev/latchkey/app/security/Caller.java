package dev.latchkey.app.security;

import dev.latchkey.domain.application.ApplicationId;
import dev.latchkey.domain.connection.UserWorkspaceId;
import dev.latchkey.domain.connection.WorkspaceId;
import dev.latchkey.query.connection.Viewer;
import java.util.Optional;
import java.util.Set;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Who is calling, from the claims of API.md: {@code sub}, {@code wid}, {@code uwid}, {@code app}, {@code trigger},
 * {@code scope} / {@code scp} (read by {@link CallerScopes}, as the authorities are). Claims that a call needs and the token lacks answer 403 through {@link MissingClaimException}.
 */
public record Caller(
        String subject,
        Optional<WorkspaceId> workspace,
        Optional<UserWorkspaceId> userWorkspace,
        Optional<ApplicationId> application,
        Optional<Viewer.Trigger> trigger,
        Set<String> scopes) {

    public static Caller from(Jwt jwt) {
        return new Caller(
                jwt.getSubject() == null ? "anonymous" : jwt.getSubject(),
                text(jwt, "wid").map(WorkspaceId::of),
                text(jwt, "uwid").map(UserWorkspaceId::of),
                text(jwt, "app").map(ApplicationId::of),
                trigger(jwt.getClaimAsString("trigger")),
                CallerScopes.of(jwt.getClaims()));
    }

    private static Optional<Viewer.Trigger> trigger(String claim) {
        if (claim == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Viewer.Trigger.fromWire(claim));
        } catch (IllegalArgumentException e) {
            throw new MissingClaimException("trigger must be http-route, cron or database-event");
        }
    }

    private static Optional<String> text(Jwt jwt, String claim) {
        String value = jwt.getClaimAsString(claim);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    public boolean has(String scope) {
        return scopes.contains(scope);
    }

    /** A logic function of an app asking for tokens (the {@code connections:credentials} scope). */
    public boolean isCredentialsCaller() {
        return has("connections:credentials");
    }

    public WorkspaceId requireWorkspace() {
        return workspace.orElseThrow(() -> new MissingClaimException("the token carries no workspace (wid)"));
    }

    public UserWorkspaceId requireUserWorkspace() {
        return userWorkspace.orElseThrow(
                () -> new MissingClaimException("the token carries no user-workspace id (uwid)"));
    }

    public ApplicationId requireApplication() {
        return application.orElseThrow(() -> new MissingClaimException("the token carries no application (app)"));
    }

    /**
     * Whose connections this caller may see: a logic function (scope {@code connections:credentials}) is held to its
     * application and trigger; a member call sees what its person sees.
     */
    public Viewer viewer() {
        if (isCredentialsCaller()) {
            return Viewer.logicFunction(requireApplication(), trigger.orElse(null), userWorkspace.orElse(null));
        }
        return Viewer.member(userWorkspace.orElse(null));
    }

    /** For the audit trail: the subject, as {@code sub} says. */
    public String actor() {
        return subject;
    }
}
