package dev.latchkey.domain.application;

import dev.latchkey.domain.RuleViolation;

public class UnknownServerVariableException extends RuleViolation {

    public UnknownServerVariableException(String name) {
        super("unknown-server-variable", "the application declares no server variable named " + name);
    }
}
