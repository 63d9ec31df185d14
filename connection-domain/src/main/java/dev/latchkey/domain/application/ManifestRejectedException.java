package dev.latchkey.domain.application;

import dev.latchkey.domain.RuleViolation;
import java.util.List;

/** A manifest with one or more errors; every error is listed, not just the first. */
public class ManifestRejectedException extends RuleViolation {

    private final List<FieldError> errors;

    public ManifestRejectedException(List<FieldError> errors) {
        super("invalid-manifest", "the manifest has " + errors.size() + " error(s)");
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }
}
