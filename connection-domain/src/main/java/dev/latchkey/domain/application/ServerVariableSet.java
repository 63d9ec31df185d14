package dev.latchkey.domain.application;

import dev.latchkey.domain.secret.Sealed;
import org.axonframework.serialization.Revision;

@Revision("1")
public record ServerVariableSet(ApplicationId applicationId, String name, Sealed value) implements ApplicationEvent {}
