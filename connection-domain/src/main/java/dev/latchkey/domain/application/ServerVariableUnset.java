package dev.latchkey.domain.application;

import org.axonframework.serialization.Revision;

@Revision("1")
public record ServerVariableUnset(ApplicationId applicationId, String name) implements ApplicationEvent {}
