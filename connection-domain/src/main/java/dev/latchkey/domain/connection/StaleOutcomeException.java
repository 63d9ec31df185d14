package dev.latchkey.domain.connection;

import dev.latchkey.domain.RuleViolation;

/** An exchange outcome arrived for a decision that a later one has superseded. */
public class StaleOutcomeException extends RuleViolation {

    public StaleOutcomeException(String message) {
        super("stale-outcome", message);
    }
}
