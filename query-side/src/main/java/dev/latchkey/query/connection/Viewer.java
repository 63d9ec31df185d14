package dev.latchkey.query.connection;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.latchkey.domain.application.ApplicationId;
import dev.latchkey.domain.connection.UserWorkspaceId;
import java.util.Objects;
import java.util.Optional;

/**
 * Who is reading connections, as far as DESIGN.md's visibility rules care. Built from the caller's token: a member
 * call through the gateway, or a logic function of one application run by a trigger.
 *
 * <ul>
 *   <li>a {@code user} connection is seen only by a caller acting for its owner: a member call, or a logic
 *       function on an HTTP route (or without a trigger) carrying the owner's {@code userWorkspaceId};
 *   <li>a {@code workspace} connection is seen by every caller acting for a member and by cron and database-event
 *       triggers. A logic function with neither a person nor such a trigger (a public HTTP route) sees none;
 *   <li>a logic function sees only its own application's connections.
 * </ul>
 *
 * @param application the calling logic function's application; null for a member call
 * @param userWorkspaceId the person the call is made for, or null
 * @param trigger what ran the logic function, or null (always null for a member call)
 */
public record Viewer(Caller caller, ApplicationId application, UserWorkspaceId userWorkspaceId, Trigger trigger) {

    public enum Caller {
        /** The API gateway, forwarding the command or read of a signed-in member. */
        MEMBER,
        /** A logic function of an installed application. */
        LOGIC_FUNCTION
    }

    public enum Trigger {
        HTTP_ROUTE("http-route"),
        CRON("cron"),
        DATABASE_EVENT("database-event");

        private final String wire;

        Trigger(String wire) {
            this.wire = wire;
        }

        @JsonValue
        public String wire() {
            return wire;
        }

        @JsonCreator
        public static Trigger fromWire(String wire) {
            for (Trigger value : values()) {
                if (value.wire.equals(wire)) {
                    return value;
                }
            }
            throw new IllegalArgumentException("trigger must be http-route, cron or database-event");
        }

        boolean actsForNobody() {
            return this == CRON || this == DATABASE_EVENT;
        }
    }

    public Viewer {
        Objects.requireNonNull(caller, "caller");
        if (caller == Caller.LOGIC_FUNCTION && application == null) {
            throw new IllegalArgumentException("a logic function always belongs to an application");
        }
        if (caller == Caller.MEMBER && (application != null || trigger != null)) {
            throw new IllegalArgumentException("a member call has neither an application nor a trigger");
        }
    }

    /** A signed-in member, through the gateway; {@code userWorkspaceId} null when the token carries none. */
    public static Viewer member(UserWorkspaceId userWorkspaceId) {
        return new Viewer(Caller.MEMBER, null, userWorkspaceId, null);
    }

    public static Viewer logicFunction(ApplicationId application, Trigger trigger, UserWorkspaceId userWorkspaceId) {
        return new Viewer(Caller.LOGIC_FUNCTION, application, userWorkspaceId, trigger);
    }

    /** The person whose private connections this caller sees. Cron and database-event runs act for nobody. */
    public Optional<UserWorkspaceId> actingFor() {
        if (trigger != null && trigger.actsForNobody()) {
            return Optional.empty();
        }
        return Optional.ofNullable(userWorkspaceId);
    }

    public boolean seesWorkspaceConnections() {
        return actingFor().isPresent() || (trigger != null && trigger.actsForNobody());
    }

    /** The only application whose connections this caller sees, or empty when it is not bound to one. */
    public Optional<ApplicationId> boundToApplication() {
        return Optional.ofNullable(application);
    }
}
