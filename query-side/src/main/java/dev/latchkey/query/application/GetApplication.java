package dev.latchkey.query.application;

import dev.latchkey.domain.application.ApplicationId;
import java.util.Objects;

/**
 * An application, installed or not (see {@link ApplicationView#installed()}). Answers
 * {@code Optional<ApplicationRow>}: empty when it was never installed.
 */
public record GetApplication(ApplicationId applicationId) {

    public GetApplication {
        Objects.requireNonNull(applicationId, "applicationId");
    }
}
