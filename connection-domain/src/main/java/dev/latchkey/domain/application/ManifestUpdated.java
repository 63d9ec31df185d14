package dev.latchkey.domain.application;

import java.util.List;
import org.axonframework.serialization.Revision;

/**
 * A new manifest replaced the installed one. {@code droppedVariables} were set but are no longer declared:
 * their values are forgotten.
 */
@Revision("1")
public record ManifestUpdated(ApplicationId applicationId, Manifest manifest, List<String> droppedVariables)
        implements ApplicationEvent {}
