package dev.latchkey.domain.application;

import dev.latchkey.domain.secret.Sealed;

public record ServerVariableSet(ApplicationId applicationId, String name, Sealed value) implements ApplicationEvent {}
