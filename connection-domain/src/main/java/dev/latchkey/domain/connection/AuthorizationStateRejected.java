package dev.latchkey.domain.connection;

import dev.latchkey.domain.RuleViolation;

/** A callback's state was refused; nothing changed. */
public class AuthorizationStateRejected extends RuleViolation {

    public enum Reason {
        UNKNOWN("the authorization state is unknown"),
        EXPIRED("the authorization state has expired"),
        ALREADY_USED("the authorization state was already used"),
        BINDING_MISMATCH("the authorization was started in another browser");

        private final String message;

        Reason(String message) {
            this.message = message;
        }
    }

    private final Reason reason;

    public AuthorizationStateRejected(Reason reason) {
        super("invalid-state", reason.message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
