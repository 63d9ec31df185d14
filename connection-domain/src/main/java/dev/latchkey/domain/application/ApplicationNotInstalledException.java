package dev.latchkey.domain.application;

import dev.latchkey.domain.RuleViolation;

public class ApplicationNotInstalledException extends RuleViolation {

    public ApplicationNotInstalledException(ApplicationId id) {
        super("application-not-installed", "application " + id + " is not installed");
    }
}
