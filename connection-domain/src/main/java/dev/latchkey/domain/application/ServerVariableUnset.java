package dev.latchkey.domain.application;

public record ServerVariableUnset(ApplicationId applicationId, String name) implements ApplicationEvent {}
