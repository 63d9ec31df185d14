package dev.latchkey.domain;

/**
 * A command refused by a domain rule. The {@code code} is stable (callers map it to an answer); the message
 * says what was wrong in words and never holds a secret.
 */
public class RuleViolation extends RuntimeException {

    private final String code;

    public RuleViolation(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
