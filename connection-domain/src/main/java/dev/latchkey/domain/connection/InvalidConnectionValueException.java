package dev.latchkey.domain.connection;

import dev.latchkey.domain.RuleViolation;

public class InvalidConnectionValueException extends RuleViolation {

    private final String field;

    public InvalidConnectionValueException(String field, String message) {
        super("invalid-request", field + " " + message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
