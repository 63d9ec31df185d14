package dev.latchkey.domain.connection;

import dev.latchkey.domain.RuleViolation;

/** The member may not do this to the connection (callers answer 404, never 403). */
public class NotPermittedException extends RuleViolation {

    public NotPermittedException(String message) {
        super("not-permitted", message);
    }
}
