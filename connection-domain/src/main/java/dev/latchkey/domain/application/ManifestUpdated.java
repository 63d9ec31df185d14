package dev.latchkey.domain.application;

import java.util.List;

/**
 * A new manifest replaced the installed one. {@code droppedVariables} were set but are no longer declared:
 * their values are forgotten.
 */
public record ManifestUpdated(ApplicationId applicationId, Manifest manifest, List<String> droppedVariables)
        implements ApplicationEvent {}
